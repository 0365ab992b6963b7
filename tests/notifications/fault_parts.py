"""Real parts for the notification fault tests (``test_faults.py``): a Redis of the test's own,
a local SMTP server, a webhook receiver whose answers the test controls, Celery worker and beat
processes, and a dispatcher loop.

Each part runs on a free port of 127.0.0.1 and records what it saw with the moment it saw it
(``time.monotonic()``), so a test can count and time deliveries. Nothing here touches the shared
Redis on 6379.
"""

from __future__ import annotations

import contextlib
import dataclasses
import email
import email.policy
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import redis
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server")
# What the fault tests measured, one line each; the terminal summary prints them.
FIGURES: list[str] = []


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate: Callable[[], bool], *, timeout: float, interval: float = 0.1) -> bool:
    """Poll ``predicate`` until it holds (True) or ``timeout`` seconds passed (False)."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


# --- Redis -----------------------------------------------------------------------------------


class RedisServer:
    """A ``redis-server`` of the test's own (no persistence): ``start``, ``stop`` (the process
    ends; a restart on the same port starts empty, as a broker that lost its queue), ``freeze``
    and ``thaw`` (SIGSTOP/SIGCONT: it accepts connections but answers nothing)."""

    def __init__(self, log_path: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        if REDIS_SERVER is None:
            raise RuntimeError(
                "The fault tests start a redis-server of their own: install redis-server, or "
                "leave them out with -m 'not slow'."
            )
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    *(REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"),
                    *("--save", "", "--appendonly", "no", "--daemonize", "no"),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        if not wait_until(self.is_up, timeout=10):
            raise RuntimeError(f"redis-server on port {self.port} did not start")

    def is_up(self) -> bool:
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def stop(self) -> None:
        if self.process is None:
            return
        self.thaw()
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def freeze(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)


# --- SMTP ------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Mail:
    """One message the SMTP server accepted."""

    message_id: str
    to: tuple[str, ...]
    subject: str
    text: str  # every text part, decoded, with the headers
    at: float


class SmtpSink:
    """An aiosmtpd server in a thread that accepts every message and records it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.mails: list[Mail] = []
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        parts = [str(value) for value in message.values()]
        for part in message.walk():
            if part.get_content_maintype() == "text":
                parts.append(part.get_content())
        mail = Mail(
            message_id=str(message.get("Message-ID", "")).strip(),
            to=tuple(envelope.rcpt_tos),
            subject=str(message.get("Subject", "")),
            text="\n".join(parts),
            at=time.monotonic(),
        )
        with self._lock:
            self.mails.append(mail)
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def snapshot(self) -> list[Mail]:
        with self._lock:
            return list(self.mails)

    def count(self) -> int:
        with self._lock:
            return len(self.mails)

    def distinct(self) -> int:
        with self._lock:
            return len({mail.message_id for mail in self.mails})

    def per_message_id(self) -> Counter[str]:
        with self._lock:
            return Counter(mail.message_id for mail in self.mails)


# --- webhooks --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Hook:
    """One POST the receiver got, and its answer."""

    path: str
    headers: dict[str, str]
    body: bytes
    status: int
    at: float


class WebhookReceiver:
    """A threaded HTTP server that records every POST and answers ``answer(path)`` (200 unless
    the test sets another function)."""

    def __init__(self) -> None:
        self.hooks: list[Hook] = []
        self.answer: Callable[[str], int] = lambda path: 200
        self._lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                status = receiver.answer(self.path)
                with receiver._lock:
                    receiver.hooks.append(
                        Hook(
                            path=self.path,
                            headers={k.lower(): v for k, v in self.headers.items()},
                            body=body,
                            status=status,
                            at=time.monotonic(),
                        )
                    )
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format, *args) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def snapshot(self) -> list[Hook]:
        with self._lock:
            return list(self.hooks)


# --- Celery processes ------------------------------------------------------------------------


class CeleryProcess:
    """``celery -A praktijkleren <args>`` as a subprocess in its own process group, its output
    appended to ``log_path``. ``kill`` is ``kill -9`` of the whole group (the main process and
    its pool children)."""

    def __init__(self, args: list[str], *, env: dict[str, str], log_path: Path, ready: str):
        self.args = args
        self.env = env
        self.log_path = log_path
        self.ready = ready
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.ready_at = 0.0

    def start(self, *, timeout: float = 60) -> float:
        """Start and wait until the log says it is ready; returns ``ready_at``."""
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        self.started_at = time.monotonic()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "praktijkleren", *self.args],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

        def is_ready() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"celery {self.args[0]} exited: see {self.log_path}")
            with self.log_path.open("rb") as log:
                log.seek(offset)
                return self.ready.encode() in log.read()

        if not wait_until(is_ready, timeout=timeout, interval=0.05):
            raise RuntimeError(f"celery {self.args[0]} not ready in {timeout} s: {self.log_path}")
        self.ready_at = time.monotonic()
        return self.ready_at

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def worker(env: dict[str, str], log_path: Path, *, pool: str = "prefork", concurrency: int = 4):
    """A Celery worker as in production (acks late, prefetch 1: the project's settings)."""
    return CeleryProcess(
        [
            *("worker", f"--pool={pool}", f"--concurrency={concurrency}", "--loglevel=INFO"),
            *("--hostname=faults@%h", "--without-gossip", "--without-mingle"),
        ],
        env=env,
        log_path=log_path,
        ready=" ready.",
    )


def beat(env: dict[str, str], log_path: Path, schedule: Path) -> CeleryProcess:
    """Celery beat with the project's schedule (``dispatch_due`` every 15 s)."""
    return CeleryProcess(
        ["beat", "--loglevel=INFO", f"--schedule={schedule}"],
        env=env,
        log_path=log_path,
        ready="beat: Starting",
    )


@contextlib.contextmanager
def dispatcher_loop(every: float) -> Iterator[list[int]]:
    """Call ``outbox_dispatch_due`` every ``every`` seconds in a thread of this process (instead
    of beat, whose schedule is 15 s): yields the counts it dispatched."""
    from django.db import connections

    from praktijkleren.notifications.delivery import outbox_dispatch_due

    stop = threading.Event()
    counts: list[int] = []

    def loop() -> None:
        try:
            while not stop.wait(every):
                counts.append(outbox_dispatch_due())
        finally:
            connections.close_all()

    thread = threading.Thread(target=loop, name="test-dispatcher", daemon=True)
    thread.start()
    try:
        yield counts
    finally:
        stop.set()
        thread.join(10)
