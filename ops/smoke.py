#!/usr/bin/env python3
"""Smoke test of the running docker compose stack (ops/smoke.sh runs it; README, "Docker").

1. Starts the stack as its own compose project (``praktijkleren-smoke``) with a generated env
   file (random passwords and keys, ports the host does not use), on the public images or, with
   ``--local`` (or when no registry answers), on the local ones of ops/images/build-local.sh
   with host networking (docker-compose.local.yml).
2. Waits until every service is healthy and ``migrate`` has exited 0, and prints each with the
   seconds it took.
3. Creates the first account as the README says on the empty installation (``user_create
   --beheer``, which makes its beheer organisation), logs in with it over HTTP and opens the
   admin. Loads the demo region (``seed_demo``, as a one-off with the dev settings: the running
   portal keeps production settings, which refuse demo accounts) and creates a real consultant
   with ``manage.py user_create``.
4. Over HTTP, as a browser behind the TLS proxy would: logs in, sets up the second step with a
   TOTP code it computes from the key on the page, and makes one voordracht.
5. Waits for the voordracht's e-mail to the werkgever in the mail catcher (Mailpit's API), and
   opens the catcher's web page.
6. Asks web's readiness endpoint, and the worker's and beat's probes.
7. Stops the stack, removes its volumes and checks that nothing of it still runs.

Standard library only, so it runs with the machine's python3. Exit 0 when everything passed.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "praktijkleren-smoke"
HOST = "localhost"  # the Host the portal is asked for (ALLOWED_HOSTS)
PORTS = {
    "DB_PORT": 55432,
    "REDIS_PORT": 56379,
    "SMTP_PORT": 51025,
    "MAIL_UI_PORT": 58025,
    "WEB_PORT": 58000,
}
SERVICES = ["db", "redis", "mail", "web", "worker", "beat"]
HEALTH_TIMEOUT = 900  # seconds: the first build of the image takes most of it


def log(message: str) -> None:
    print(f"[smoke {time.strftime('%H:%M:%S')}] {message}", flush=True)


def fail(message: str) -> NoReturn:
    raise SystemExit(f"[smoke] FAILED: {message}")


# --- the stack ---------------------------------------------------------------------------------


def compose_command() -> list[str]:
    """``docker compose`` (v2 plugin) when present, else Debian's ``docker-compose``."""
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
    if probe.returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    fail("neither `docker compose` nor `docker-compose` is installed")


def registry_reachable() -> bool:
    """True when the public images can be pulled (checked with the smallest, redis:7)."""
    try:
        pulled = subprocess.run(
            ["docker", "pull", "-q", "redis:7"], capture_output=True, timeout=60
        )
    except subprocess.TimeoutExpired:
        return False
    return pulled.returncode == 0


def local_images_build() -> None:
    """The local base images (ops/images/build-local.sh keeps those that exist)."""
    built = subprocess.run([str(ROOT / "ops" / "images" / "build-local.sh")], cwd=ROOT)
    if built.returncode != 0:
        fail("ops/images/build-local.sh failed")


def fernet_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def reference_data(workdir: Path) -> Path:
    """What migrate mounts at /data: ../shared/data where it is, else an empty directory of the
    smoke run's own (docker would otherwise create ../shared/data, empty and root's)."""
    shared = ROOT.parent / "shared" / "data"
    if shared.is_dir():
        return shared
    empty = workdir / "no-reference-data"
    empty.mkdir(exist_ok=True)
    return empty


def env_file_write(path: Path) -> dict[str, str]:
    """The stack's settings: fresh secrets, smoke ports; returns them."""
    values = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "SECURE_SSL_REDIRECT": "true",
        "DEFAULT_FROM_EMAIL": "Praktijkleren <noreply@praktijkleren.example.nl>",
        "LOG_LEVEL": "INFO",
        "LOG_FORMAT": "json",
        "POSTGRES_USER": "postgres",
        "POSTGRES_PASSWORD": secrets.token_urlsafe(24),
        "POSTGRES_DB": "praktijkleren",
        "PRAKTIJKLEREN_OWNER_PASSWORD": secrets.token_urlsafe(24),
        "PRAKTIJKLEREN_APP_PASSWORD": secrets.token_urlsafe(24),
        "BSN_ENCRYPTION_KEYS": fernet_key(),
        "BSN_INDEX_KEY": secrets.token_urlsafe(32),
        "WEB_CONCURRENCY": "2",
        **{name: str(port) for name, port in PORTS.items()},
        "REFERENCE_DATA": str(reference_data(path.parent)),
    }
    path.write_text("".join(f"{key}={value}\n" for key, value in values.items()))
    return values


@dataclass
class Stack:
    """One compose project: its command line and what it was started with."""

    local: bool
    env_path: Path
    values: dict[str, str]
    timings: dict[str, float] = field(default_factory=dict)

    def command(self, *args: str) -> list[str]:
        second = "docker-compose.local.yml" if self.local else "docker-compose.override.yml"
        files = ["-f", str(ROOT / "docker-compose.yml"), "-f", str(ROOT / second)]
        return [
            *compose_command(),
            "--project-name",
            PROJECT,
            "--env-file",
            str(self.env_path),
            *files,
            *args,
        ]

    def run(
        self,
        *args: str,
        check: bool = True,
        capture: bool = False,
        env: dict[str, str] | None = None,
        input_text: str | None = None,
    ) -> subprocess.CompletedProcess:
        """``compose args``; fails the smoke test when it exits non-zero and ``check``."""
        environment = {**os.environ, "ENV_FILE": str(self.env_path), **(env or {})}
        done = subprocess.run(
            self.command(*args),
            cwd=ROOT,
            env=environment,
            text=True,
            capture_output=capture,
            input=input_text,
        )
        if check and done.returncode != 0:
            detail = (done.stderr or done.stdout or "")[-2000:] if capture else ""
            fail(f"`{' '.join(args[:3])} ...` exited {done.returncode}\n{detail}")
        return done

    def container(self, service: str) -> str:
        return self.run("ps", "-a", "-q", service, capture=True).stdout.strip()

    def state(self, service: str) -> tuple[str, str, int]:
        """(status, health, exit code) of the service's container."""
        container = self.container(service)
        if not container:
            return "missing", "", -1
        inspected = subprocess.run(
            [
                "docker",
                "inspect",
                "--format",
                "{{.State.Status}}|{{if .State.Health}}{{.State.Health.Status}}{{end}}"
                "|{{.State.ExitCode}}",
                container,
            ],
            capture_output=True,
            text=True,
        )
        status, health, code = (inspected.stdout.strip() or "missing||-1").split("|")
        return status, health, int(code)

    def wait_healthy(self, started: float) -> None:
        pending = set(SERVICES) | {"migrate"}
        while pending:
            if time.monotonic() - started > HEALTH_TIMEOUT:
                fail(f"not healthy after {HEALTH_TIMEOUT} s: {sorted(pending)}")
            for service in sorted(pending):
                status, health, code = self.state(service)
                if service == "migrate":
                    if status == "exited" and code != 0:
                        self.run("logs", "migrate", check=False)
                        fail(f"migrate exited {code}")
                    done = status == "exited"
                else:
                    if status == "exited":
                        self.run("logs", service, check=False)
                        fail(f"{service} stopped (exit {code})")
                    done = health == "healthy"
                if done:
                    self.timings[service] = time.monotonic() - started
                    pending.discard(service)
                    label = "exited 0" if service == "migrate" else "healthy"
                    log(f"{service}: {label} after {self.timings[service]:.0f} s")
            time.sleep(3)

    def manage(self, service: str, *args: str, env: dict[str, str] | None = None) -> str:
        """``manage.py args``: in a one-off container of ``migrate`` (which has the owner's
        database URL), or in the running container of another service; its standard output.
        (A one-off container of web, worker or beat is refused on the host network: compose
        links it to its dependencies.)"""
        extra: list[str] = []
        for key, value in (env or {}).items():
            extra += ["-e", f"{key}={value}"]
        if service == "migrate":
            command = ["run", "--rm", "--no-deps", *extra, service]
        else:
            command = ["exec", "-T", *extra, service]
        done = self.run(*command, "python", "manage.py", *args, capture=True)
        return done.stdout


# --- the portal over HTTP ------------------------------------------------------------------------


class Browser:
    """Cookies and CSRF as a browser behind the TLS proxy: plain HTTP to gunicorn with
    ``X-Forwarded-Proto: https``, so Secure cookies are kept by hand."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        """(status, final path, body); follows redirects within the portal."""
        method = "POST" if data is not None else "GET"
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        for _ in range(10):
            request = urllib.request.Request(self.base + path, data=body, method=method)
            request.add_header("Host", HOST)
            request.add_header("X-Forwarded-Proto", "https")
            request.add_header("Origin", f"https://{HOST}")
            request.add_header("Referer", f"https://{HOST}{path}")
            if self.cookies:
                cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
                request.add_header("Cookie", cookie)
            try:
                with _NO_REDIRECT.open(request, timeout=30) as answer:
                    status, headers, text = answer.status, answer.headers, answer.read()
            except urllib.error.HTTPError as error:
                status, headers, text = error.code, error.headers, error.read()
            for header in headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            if status in (301, 302, 303) and headers.get("Location"):
                location = urllib.parse.urlsplit(headers["Location"])
                path = location.path + (f"?{location.query}" if location.query else "")
                method, body = "GET", None
                continue
            return status, path, text.decode("utf-8", "replace")
        fail(f"too many redirects at {path}")

    def form(self, path: str, html: str, **fields: str) -> tuple[int, str, str]:
        """POST ``fields`` with the page's CSRF token to ``path``."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if not token:
            fail(f"no CSRF token on {path}")
        return self.request(path, {"csrfmiddlewaretoken": token.group(1), **fields})


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        """Hand every redirect back to ``Browser.request``, which follows it with its cookies."""
        return None


_NO_REDIRECT = urllib.request.build_opener(_NoRedirect)


def totp(key_base32: str, at: float | None = None) -> str:
    """RFC 6238 code (SHA-1, 30 s, 6 digits) of a base32 key, as an authenticator app makes."""
    key = base64.b32decode(key_base32.upper() + "=" * (-len(key_base32) % 8))
    counter = struct.pack(">Q", int((at or time.time()) // 30))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


# --- the steps -------------------------------------------------------------------------------


PICK = """
import json
from candidates.models import Candidate
from candidates.selectors import leerbanen_matching, voordrachten_blocking
found = None
for candidate in Candidate.objects.filter(consent_given_at__isnull=False).order_by("pk"):
    if not candidate.may_be_proposed():
        continue
    for match in leerbanen_matching(candidate=candidate):
        leerbaan = match.leerbaan
        if voordrachten_blocking(candidate=candidate, leerbaan=leerbaan).exists():
            continue
        werkgever = leerbaan.leerbedrijf.organisation
        emails = {u.email for u in werkgever.users.filter(is_active=True)} | {werkgever.email}
        found = {
            "organisation": candidate.organisation.name,
            "candidate": candidate.pk,
            "candidate_name": candidate.last_name,
            "leerbaan": leerbaan.pk,
            "werkgever_emails": sorted(emails - {""}),
        }
        break
    if found:
        break
print("PICK " + json.dumps(found))
"""


def first_account_check(stack: Stack) -> None:
    """The README's first step on the empty installation: a beheer account that makes its own
    organisation, then logs in (second step set up) and opens the admin."""
    username, password = user_create(stack, "smoke-beheer", "Functioneel beheer", "--beheer")
    browser = Browser(int(stack.values["WEB_PORT"]))
    log_in(browser, username, password)
    status, path, _ = browser.request("/beheer/")
    if status != 200 or path != "/beheer/":
        fail(f"the first beheer account does not reach the admin: {status} {path}")
    log("the first beheer account reaches the admin (/beheer/ 200)")


def seed_and_pick(stack: Stack) -> dict:
    log("seed_demo (one-off, dev settings) ...")
    stack.manage(
        "migrate",
        "seed_demo",
        env={
            "DJANGO_SETTINGS_MODULE": "praktijkleren.settings.dev",
            "DEMO_PASSWORD": secrets.token_urlsafe(16),
        },
    )
    output = stack.manage("web", "shell", "-c", PICK)
    line = next((x for x in output.splitlines() if x.startswith("PICK ")), "PICK null")
    pick = json.loads(line[5:])
    if not pick:
        fail("the demo region has no candidate that can be proposed to an open leerbaan")
    return pick


def user_create(stack: Stack, username: str, organisation: str, *options: str) -> tuple[str, str]:
    """``manage.py user_create`` in web with a random password; (user name, password)."""
    password = secrets.token_urlsafe(16)
    output = stack.manage(
        "web",
        "user_create",
        username,
        "--organisation",
        organisation,
        "--email",
        f"{username}@example.nl",
        *options,
        env={"USER_CREATE_PASSWORD": password},
    )
    log(output.strip().replace("\n", " "))
    return username, password


def log_in(browser: Browser, username: str, password: str) -> str:
    """Log in for the first time: password, then the second step set up with a code computed
    from the key on the page. Returns the key (base32), as the user's app keeps it."""
    status, path, html = browser.request("/inloggen/")
    status, path, html = browser.form(path, html, username=username, password=password)
    if "tweede-stap" not in path:
        fail(f"after the password: {status} {path}, not the second step")
    found = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', html)
    if not found:
        fail(f"no key on the set-up page {path}")
    key = found.group(1).replace(" ", "")
    status, path, html = browser.form(path, html, token=totp(key))
    if status != 200 or "herstelcode" not in html.lower():
        fail(f"the second step was not accepted: {status} {path}")
    log(f"logged in with a second step set up ({path})")
    return key


def voordracht_make(browser: Browser, pick: dict) -> None:
    path = f"/kandidaten/{pick['candidate']}/voordragen/{pick['leerbaan']}/"
    status, _, html = browser.request(path)
    if status != 200:
        fail(f"GET {path}: {status}")
    status, landed, html = browser.form(path, html, motivation="Smoke test: past goed.")
    refusal = re.search(r"utrecht-alert--error[^>]*>.*?<p[^>]*>(.*?)</p>", html, re.S)
    if status != 200 or landed == path or refusal:
        reason = refusal.group(1).strip() if refusal else ""
        fail(f"POST {path}: {status}, landed on {landed} {reason}")
    log(f"voordracht made: candidate {pick['candidate']} for leerbaan {pick['leerbaan']}")


def mail_wait(stack: Stack, pick: dict, since: set[str], timeout: float = 120) -> dict:
    api = f"http://127.0.0.1:{stack.values['MAIL_UI_PORT']}/api/v1/messages"
    wanted = set(pick["werkgever_emails"])
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        with urllib.request.urlopen(api, timeout=10) as answer:
            messages = json.load(answer)["messages"]
        for message in messages:
            to = {r["Address"] for r in message["To"]}
            if message["ID"] not in since and to & wanted:
                log(
                    f"e-mail arrived after {time.monotonic() - started:.0f} s: "
                    f"{message['Subject']!r} to {len(to)} recipient(s)"
                )
                page = f"http://127.0.0.1:{stack.values['MAIL_UI_PORT']}/"
                with urllib.request.urlopen(page, timeout=10) as answer:
                    log(f"mail catcher's web page: {answer.status}")
                return message
        time.sleep(2)
    fail(f"no e-mail to the werkgever ({sorted(wanted)}) within {timeout:.0f} s")


def mail_ids(stack: Stack) -> set[str]:
    api = f"http://127.0.0.1:{stack.values['MAIL_UI_PORT']}/api/v1/messages"
    with urllib.request.urlopen(api, timeout=10) as answer:
        return {message["ID"] for message in json.load(answer)["messages"]}


def probes_check(stack: Stack, browser: Browser) -> None:
    status, _, body = browser.request("/gezondheid/gereed/")
    if status != 200:
        fail(f"web readiness: {status} {body}")
    log(f"web readiness: {body}")
    for service, probe in (("worker", "worker-ready"), ("beat", "beat-live")):
        done = stack.run("exec", "-T", service, "python", "manage.py", "probe", probe, capture=True)
        log(f"{service} {probe}: {done.stdout.strip()}")


def nothing_left(stack: Stack) -> None:
    left = subprocess.run(
        ["docker", "ps", "-a", "-q", "--filter", f"label=com.docker.compose.project={PROJECT}"],
        capture_output=True,
        text=True,
    ).stdout.split()
    volumes = subprocess.run(
        ["docker", "volume", "ls", "-q", "--filter", f"label=com.docker.compose.project={PROJECT}"],
        capture_output=True,
        text=True,
    ).stdout.split()
    if left or volumes:
        fail(f"left behind: {len(left)} container(s), {len(volumes)} volume(s)")
    log("stopped: no container or volume of the stack is left")


def ports_free() -> None:
    for name, port in PORTS.items():
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                fail(f"port {port} ({name}) is in use on this machine")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--local", action="store_true", help="the local images, host network")
    parser.add_argument("--keep", action="store_true", help="leave the stack running")
    arguments = parser.parse_args()
    local = arguments.local or not registry_reachable()
    ports_free()
    workdir = Path(tempfile.mkdtemp(prefix="praktijkleren-smoke-"))
    env_path = workdir / "smoke.env"
    stack = Stack(local=local, env_path=env_path, values=env_file_write(env_path))
    log(f"images: {'local (ops/images), host network' if local else 'public registry'}")
    if local:
        local_images_build()
    started = time.monotonic()
    try:
        stack.run("up", "-d", "--build")
        stack.wait_healthy(started)
        log(f"all services healthy after {time.monotonic() - started:.0f} s")
        first_account_check(stack)
        pick = seed_and_pick(stack)
        username, password = user_create(stack, "smoke-consulent", pick["organisation"])
        browser = Browser(int(stack.values["WEB_PORT"]))
        log_in(browser, username, password)
        before = mail_ids(stack)
        voordracht_make(browser, pick)
        mail_wait(stack, pick, before)
        probes_check(stack, browser)
        log(f"passed in {time.monotonic() - started:.0f} s")
    finally:
        if not arguments.keep:
            stack.run("down", "--volumes", "--remove-orphans", "--timeout", "20", check=False)
            nothing_left(stack)
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
