"""Webhooks: the CloudEvent, its Standard Webhooks signature, the address checks and how a
receiver's answer is handled (a local receiver in a thread)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from praktijkleren.notifications import webhooks
from praktijkleren.notifications.constants import Channel, OutboxStatus
from praktijkleren.notifications.delivery import outbox_deliver
from praktijkleren.notifications.models import OutboxMessage, WebhookEndpoint
from tests.accounts.factories import OrganisationFactory
from tests.notifications.factories import OutboxMessageFactory

pytestmark = pytest.mark.django_db


class Receiver:
    """A local HTTP server that records each request and answers ``status``."""

    def __init__(self) -> None:
        self.status = 200
        self.requests: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


def _webhook_row(receiver) -> OutboxMessage:
    organisation = OrganisationFactory()
    endpoint = WebhookEndpoint.objects.create(
        organisation=organisation, url=receiver.url, secret=webhooks.secret_generate()
    )
    payload = webhooks.cloudevent_build(
        event_id="0b1c",
        event_type="voordracht.made",
        subject_type="voordracht",
        subject_id=12,
        url="http://testserver/voordrachten/12/",
        time=timezone.now(),
    )
    return OutboxMessageFactory(
        organisation=organisation,
        channel=Channel.WEBHOOK,
        endpoint=endpoint,
        to_email="",
        payload=payload,
    )


def test_the_cloudevent_is_thin_and_follows_the_nl_gov_profile():
    event = webhooks.cloudevent_build(
        event_id="abc",
        event_type="enrolment.requested",
        subject_type="enrolment",
        subject_id=7,
        url="https://portaal.example/inschrijvingen/7/",
        time=timezone.now(),
    )
    assert event["specversion"] == "1.0"
    assert event["source"].startswith("urn:")
    assert event["type"] == "nl.praktijkleren.enrolment.requested"
    assert event["subject"] == "enrolment/7"
    assert event["dataref"] == "https://portaal.example/inschrijvingen/7/"
    assert event["data"] == {
        "type": "enrolment",
        "id": 7,
        "url": "https://portaal.example/inschrijvingen/7/",
    }


def test_a_delivered_webhook_verifies_and_a_tampered_one_does_not(receiver):
    message = _webhook_row(receiver)
    assert outbox_deliver(message_id=message.pk) is True
    headers, body = receiver.requests[0]
    headers = {k.lower(): v for k, v in headers.items()}
    assert headers["webhook-id"] == str(message.uuid)
    assert headers["content-type"].startswith("application/cloudevents+json")
    verifier = Webhook(message.endpoint.secret)
    assert verifier.verify(body, headers)["id"] == "0b1c"
    tampered = body.replace(b'"id":12', b'"id":13')
    assert tampered != body
    with pytest.raises(WebhookVerificationError):
        verifier.verify(tampered, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(webhooks.secret_generate()).verify(body, headers)


def test_a_503_is_retried_with_the_same_webhook_id(receiver):
    message = _webhook_row(receiver)
    receiver.status = 503
    assert outbox_deliver(message_id=message.pk) is False
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert "HTTP 503" in message.last_error
    receiver.status = 200
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert outbox_deliver(message_id=message.pk) is True
    ids = [{k.lower(): v for k, v in h.items()}["webhook-id"] for h, _ in receiver.requests]
    assert ids == [str(message.uuid)] * 2


def test_a_410_disables_the_endpoint(receiver):
    message = _webhook_row(receiver)
    receiver.status = 410
    assert outbox_deliver(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    endpoint = WebhookEndpoint.objects.get(pk=message.endpoint_id)
    assert not endpoint.is_active
    assert "410" in endpoint.disabled_reason


def test_another_4xx_fails_at_once(receiver):
    message = _webhook_row(receiver)
    receiver.status = 400
    assert outbox_deliver(message_id=message.pk) is False
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://example.org/hook", "https-adres"),
        ("https://127.0.0.1/hook", "intern of gereserveerd"),
        ("https://10.1.2.3/hook", "intern of gereserveerd"),
        ("https://169.254.169.254/latest", "intern of gereserveerd"),
        ("https://[::1]/hook", "intern of gereserveerd"),
        ("https://localhost/hook", "intern of gereserveerd"),
        ("https://bestaat-niet.invalid/hook", "niet te vinden"),
        ("ftp://example.org/hook", "https-adres"),
        ("https://10.0.0.1:99999/hook", "tussen 1 en 65535"),
        ("https://10.0.0.1:0/hook", "tussen 1 en 65535"),
        ("https://gebruiker:geheim@10.0.0.1/hook", "geen gebruikersnaam of wachtwoord"),
    ],
)
def test_outside_development_only_public_https_addresses(url, message, settings):
    settings.WEBHOOKS_ALLOW_HTTP = False
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(ValidationError, match=message):
        webhooks.url_check(url)


def test_the_address_is_checked_again_before_every_call(receiver, settings):
    message = _webhook_row(receiver)  # saved while private addresses were allowed
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    assert outbox_deliver(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert "intern of gereserveerd" in message.last_error
    assert receiver.requests == []


def test_the_production_settings_refuse_private_addresses():
    import subprocess
    import sys

    code = (
        "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='praktijkleren.settings.production';"
        "os.environ.update(SECRET_KEY='x',ALLOWED_HOSTS='x',WEBHOOKS_ALLOW_HTTP='true',"
        "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES='true',"
        "BSN_ENCRYPTION_KEYS='MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',"
        "BSN_INDEX_KEY='i'*43);django.setup();"
        "from django.conf import settings as s;"
        "print(s.WEBHOOKS_ALLOW_HTTP, s.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "False"]


def test_the_payload_carries_no_personal_data(receiver):
    message = _webhook_row(receiver)
    outbox_deliver(message_id=message.pk)
    _headers, body = receiver.requests[0]
    assert set(json.loads(body)) <= {
        "specversion",
        "id",
        "source",
        "type",
        "subject",
        "time",
        "datacontenttype",
        "dataref",
        "data",
    }
