#!/usr/bin/python3
"""A mail catcher for the stack on machines without an image registry (ops/images/).

Keeps every message it receives over SMTP in memory and answers the part of Mailpit's HTTP API
that ops/smoke.sh and a developer use:

- ``GET /api/v1/messages``: ``{"total": n, "messages": [{"ID", "Subject", "From", "To",
  "Created"}]}``, newest first;
- ``GET /api/v1/message/<ID>``: the same fields plus ``"Text"`` (the plain-text body);
- ``DELETE /api/v1/messages``: forgets every message;
- ``GET /readyz``: 200 when it runs;
- ``GET /``: a plain HTML page listing the messages with their text, newest first (Mailpit's
  web UI, much reduced).

``/mailpit readyz`` asks a running catcher for ``/readyz`` (exit 0 or 1), as Mailpit's own
command does. Addresses come from Mailpit's variables ``MP_SMTP_BIND_ADDR`` (``0.0.0.0:1025``)
and ``MP_UI_BIND_ADDR`` (``0.0.0.0:8025``).
"""

import email
import email.policy
import html
import json
import os
import sys
import threading
import urllib.request
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

MESSAGES: list[dict] = []
LOCK = threading.Lock()


def _address(variable: str, default: str) -> tuple[str, int]:
    host, _, port = os.environ.get(variable, default).rpartition(":")
    return host or "0.0.0.0", int(port)


class Handler:
    """aiosmtpd handler: parse each message and keep it."""

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        entry = {
            "ID": uuid.uuid4().hex,
            "Subject": str(message.get("Subject", "")),
            "From": {"Address": envelope.mail_from},
            "To": [{"Address": address} for address in envelope.rcpt_tos],
            "Created": datetime.now(UTC).isoformat(),
            "Text": body.get_content() if body is not None else "",
        }
        with LOCK:
            MESSAGES.insert(0, entry)
        return "250 Message accepted for delivery"


def page() -> bytes:
    """The messages as one HTML page, every value escaped."""
    with LOCK:
        items = [
            f"<article><h2>{html.escape(m['Subject'])}</h2><p>{html.escape(m['Created'])}, "
            f"{html.escape(m['From']['Address'])} → "
            f"{html.escape(', '.join(t['Address'] for t in m['To']))}</p>"
            f"<pre>{html.escape(m['Text'])}</pre></article>"
            for m in MESSAGES
        ]
    body = "".join(items) or "<p>No messages.</p>"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Mail catcher</title>'
        f"</head><body><h1>Mail catcher: {len(items)} message(s)</h1>{body}</body></html>"
    ).encode()


class Api(BaseHTTPRequestHandler):
    """The HTTP API (JSON) and the one HTML page."""

    def _send(self, status: int, payload: object) -> None:
        data = json.dumps(payload).encode()
        self._write(status, "application/json", data)

    def _write(self, status: int, content_type: str, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path in ("/", "/index.html"):
            self._write(200, "text/html; charset=utf-8", page())
        elif self.path == "/readyz":
            self._send(200, {"status": "ok"})
        elif self.path.startswith("/api/v1/messages"):
            with LOCK:
                summaries = [{k: v for k, v in m.items() if k != "Text"} for m in MESSAGES]
            self._send(200, {"total": len(summaries), "messages": summaries})
        elif self.path.startswith("/api/v1/message/"):
            wanted = self.path.rsplit("/", 1)[-1]
            with LOCK:
                found = next((m for m in MESSAGES if m["ID"] == wanted), None)
            self._send(200 if found else 404, found or {"error": "not found"})
        else:
            self._send(404, {"error": "not found"})

    def do_DELETE(self) -> None:
        if self.path.startswith("/api/v1/messages"):
            with LOCK:
                MESSAGES.clear()
            self._send(200, {"status": "ok"})
        else:
            self._send(404, {"error": "not found"})

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the stack's logs need no line per poll."""


def main() -> int:
    ui_host, ui_port = _address("MP_UI_BIND_ADDR", "0.0.0.0:8025")
    if sys.argv[1:] == ["readyz"]:
        host = "127.0.0.1" if ui_host in ("0.0.0.0", "") else ui_host
        try:
            with urllib.request.urlopen(f"http://{host}:{ui_port}/readyz", timeout=5) as answer:
                return 0 if answer.status == 200 else 1
        except OSError:
            return 1
    smtp_host, smtp_port = _address("MP_SMTP_BIND_ADDR", "0.0.0.0:1025")
    controller = Controller(Handler(), hostname=smtp_host, port=smtp_port)
    controller.start()
    print(f"SMTP on {smtp_host}:{smtp_port}, HTTP on {ui_host}:{ui_port}", flush=True)
    ThreadingHTTPServer((ui_host, ui_port), Api).serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
