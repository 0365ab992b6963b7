"""Webhooks: the CloudEvent an organisation's endpoint receives, its Standard Webhooks signature,
and the address checks that keep the portal from calling into private networks.

- **Body**: CloudEvents 1.0 JSON (the ``cloudevents`` package), NL GOV profile: ``source`` is a
  URN naming the portal (``settings.CLOUDEVENTS_SOURCE``), ``type`` reverse-DNS
  (``nl.praktijkleren.voordracht.accepted``), ``subject`` the object as ``<type>/<id>``,
  ``dataref`` the object's page, and a thin ``data``: the object's type, id and URL. Never
  personal data.
- **Signature**: Standard Webhooks (the ``standardwebhooks`` package): headers ``webhook-id``
  (the outbox row's uuid, the same on every retry), ``webhook-timestamp`` and
  ``webhook-signature`` over ``id.timestamp.body`` with the endpoint's secret.
- **Addresses**: outside development only ``https``, and the host must resolve to public
  addresses only (no private, loopback, link-local, multicast or reserved ones). Checked when an
  administrator saves the URL and again before every call. (A host that changes its DNS answer
  between the check and the connection is not caught; the window is a few milliseconds.)
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import json
import secrets
import socket
from typing import Any
from urllib.parse import urlsplit

import httpx
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from standardwebhooks.webhooks import Webhook

TYPE_PREFIX = "nl.praktijkleren."
CONNECT_TIMEOUT_SECONDS = 3.0
READ_TIMEOUT_SECONDS = 10.0


class WebhookGone(Exception):
    """The receiver answered 410 Gone: it wants no more webhooks; the endpoint is disabled."""


class WebhookRejected(Exception):
    """The receiver refused the webhook for good (a 4xx answer other than 408, 410, 425, 429)."""


class WebhookOff(WebhookRejected):
    """The organisation turned its webhook off or removed it before the row was sent."""


class WebhookRetry(Exception):
    """A failure a retry can cure: 408, 425, 429 or 5xx, a time-out, a lost connection."""


def secret_generate() -> str:
    """A new Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def url_check(url: str) -> None:
    """Refuse (``ValidationError``, in Dutch) a webhook URL the portal may not call: another
    scheme than https (http too under ``settings.WEBHOOKS_ALLOW_HTTP``, development only), a
    user name or password in it, a port outside 1–65535, a host that does not resolve, or one
    that resolves to any non-public address (unless ``settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES``,
    development and tests only)."""
    parts = urlsplit(url)
    schemes = {"https", "http"} if settings.WEBHOOKS_ALLOW_HTTP else {"https"}
    if parts.scheme not in schemes or not parts.hostname:
        raise ValidationError(_("Gebruik een https-adres, zoals https://voorbeeld.nl/webhooks."))
    if parts.username is not None or parts.password is not None:
        raise ValidationError(
            _(
                "Zet geen gebruikersnaam of wachtwoord in het adres: de handtekening met het "
                "geheim laat de ontvanger zien dat het bericht van het portaal komt."
            )
        )
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        raise ValidationError(_("Het poortnummer in het adres moet tussen 1 en 65535 liggen."))
    try:
        infos = socket.getaddrinfo(parts.hostname, port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise ValidationError(
            _("De naam %(host)s is niet te vinden.") % {"host": parts.hostname}
        ) from exc
    if settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES:
        return
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global or address.is_multicast:
            raise ValidationError(
                _("%(host)s wijst naar een intern of gereserveerd adres; dat is niet toegestaan.")
                % {"host": parts.hostname}
            )


def cloudevent_build(
    *,
    event_id: str,
    event_type: str,
    subject_type: str,
    subject_id: int,
    url: str,
    time: dt.datetime,
) -> dict[str, Any]:
    """The CloudEvent (JSON-ready dict) for one event: thin, without personal data."""
    event = CloudEvent(
        attributes={
            "id": event_id,
            "source": settings.CLOUDEVENTS_SOURCE,
            "type": TYPE_PREFIX + event_type,
            "subject": f"{subject_type}/{subject_id}",
            "time": time,
            "datacontenttype": "application/json",
            "dataref": url,
        },
        data={"type": subject_type, "id": subject_id, "url": url},
    )
    return json.loads(JSONFormat().write(event))


def webhook_post(*, url: str, secret: str, message_id: str, payload: dict[str, Any]) -> int:
    """POST ``payload`` (a CloudEvent) to ``url``, signed per Standard Webhooks with ``secret``
    and ``message_id`` (the webhook-id). Checks the address again first (``url_check``).

    Returns the HTTP status of a 2xx answer. Raises ``WebhookGone`` on 410, ``WebhookRetry`` on
    408, 425, 429, 5xx, time-outs (connect 3 s, read 10 s) and connection errors,
    ``WebhookRejected`` on other answers, ``ValidationError`` for an address the portal may not
    call.
    """
    url_check(url)
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True)
    now = dt.datetime.now(dt.UTC)
    headers = {
        "content-type": "application/cloudevents+json; charset=utf-8",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, now, body),
        "user-agent": "Praktijkleren-webhooks/1.0",
    }
    timeout = httpx.Timeout(READ_TIMEOUT_SECONDS, connect=CONNECT_TIMEOUT_SECONDS)
    try:
        response = httpx.post(url, content=body.encode(), headers=headers, timeout=timeout)
    except httpx.TransportError as exc:
        raise WebhookRetry(f"{type(exc).__name__}") from exc
    status = response.status_code
    if 200 <= status < 300:
        return status
    if status == 410:
        raise WebhookGone("410 Gone")
    if status in (408, 425, 429) or status >= 500:
        raise WebhookRetry(f"HTTP {status}")
    raise WebhookRejected(f"HTTP {status}")


def webhook_test_send(*, endpoint: Any) -> int:
    """Send a signed test CloudEvent (``type`` ``nl.praktijkleren.test``, no object) to
    ``endpoint`` now; returns the receiver's 2xx status or raises as ``webhook_post``."""
    event_id = secrets.token_hex(16)
    payload = cloudevent_build(
        event_id=event_id,
        event_type="test",
        subject_type="test",
        subject_id=0,
        url=settings.PORTAL_URL,
        time=dt.datetime.now(dt.UTC),
    )
    return webhook_post(
        url=endpoint.url, secret=endpoint.secret, message_id=f"test-{event_id}", payload=payload
    )
