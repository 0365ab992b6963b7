"""The BSN never leaks (issue 9, docs/bsn.md): not in a page, a URL, a redirect, an e-mail, a
webhook, a Celery message, a log line or an error page, and not in plain text in the database.

Every test seeds candidates with known BSNs and looks for each in every form a person or a
program might write it (plain, with spaces, with dots, with dashes), and for the stored token
and blind index too. The registering organisation's consultants are the only ones who see a
BSN, on the candidate's page and in the registration form they fill in; this module never looks
there.

- ``test_no_page_shows_a_bsn``: every GET page of the guard's URL table (``tests/test_guards``),
  the admin's included, as a werkgever, a school, beheer and anonymously (users of other
  organisations: ``tests/test_guards.py``).
- ``test_no_message_holds_a_bsn``: the main flow (registration through the form, voordrachten,
  invitation, acceptance, enrolment) with every e-mail and webhook delivered: the sent e-mails,
  the outbox rows and events, the webhook requests (body and headers), the Celery messages
  (their arguments must be ids), and afterwards every text column of the database.
- ``test_an_error_page_and_report_hold_no_bsn``: the 500 page of a registration that fails,
  and Django's technical report of it (what an error mail or log would hold), show neither the
  BSN posted nor the keys.
- Every test captures every log record at DEBUG, of every logger, and checks it.
"""

import json
import logging
import re
import sys

import httpx
import pytest
from celery.app.task import Task
from django.apps import apps
from django.core.signals import got_request_exception
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.views.debug import ExceptionReporter

from candidates import services as candidate_services
from candidates.constants import DeclineReason
from candidates.models import Candidate
from praktijkleren.notifications import webhooks
from praktijkleren.notifications.constants import Channel, Mode
from praktijkleren.notifications.delivery import outbox_deliver
from praktijkleren.notifications.events import EVENTS
from praktijkleren.notifications.models import Event, OutboxMessage, WebhookEndpoint
from praktijkleren.notifications.services import preference_set
from praktijkleren.notifications.webhooks import secret_generate
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.geo.factories import PostcodeFactory
from tests.opleidingen.factories import (
    MboInstellingFactory,
    MboLocatieFactory,
    OpleidingsaanbodFactory,
)
from tests.test_guards import BSNS, _client_for, _requests, world  # noqa: F401  (a fixture)
from tests.trajecten.factories import make_ready
from tests.workflows.conftest import interview, open_leerbaan
from trajecten import services as trajecten_services

pytestmark = pytest.mark.django_db

# Roles that never see a whole BSN of organisation A's candidates. (Users of other
# organisations are refused A's pages; tests/test_guards.py checks they see none of its BSNs.)
OUTSIDERS = ("werkgever", "school", "beheer", "anonymous")
FLOW_BSN = "123456782"


def _written(bsn: str) -> set[str]:
    """``bsn`` as people and programs write it: plain, grouped 3-3-3 or 4-2-3 with a space,
    dot or dash."""
    forms = {bsn}
    for a, b in ((3, 6), (4, 6)):
        for separator in (" ", ".", "-"):
            forms.add(separator.join((bsn[:a], bsn[a:b], bsn[b:])))
    return forms


def _secrets(candidates) -> dict[str, str]:
    """Every form of each candidate's BSN, its token and its blind index: what must not show."""
    found = {}
    for candidate in candidates:
        for written in _written(candidate.bsn):
            found[written] = f"BSN of candidate {candidate.pk}"
        found[candidate.bsn_encrypted] = f"token of candidate {candidate.pk}"
        found[candidate.bsn_index] = f"index of candidate {candidate.pk}"
    return found


def _leaked(text: str, secrets: dict[str, str]) -> list[str]:
    return sorted({name for value, name in secrets.items() if value and value in text})


def _log_text(caplog) -> str:
    """Every captured record: its message and, formatted, any traceback."""
    formatter = logging.Formatter()
    lines = []
    for when in ("setup", "call"):
        for record in caplog.get_records(when):
            lines.append(record.getMessage())
            if record.exc_info:
                lines.append(formatter.formatException(record.exc_info))
            if record.stack_info:
                lines.append(record.stack_info)
    return "\n".join(lines)


@pytest.fixture
def everything_logged(caplog):
    """Every logger, the root's included, at DEBUG into ``caplog``."""
    for name in ["", *logging.root.manager.loggerDict]:
        caplog.set_level(logging.DEBUG, logger=name or None)
    return caplog


@pytest.fixture
def celery_sent(monkeypatch):
    """(task name, args, kwargs) of every task handed to Celery, recorded instead of sent."""
    sent: list[tuple[str, tuple, dict]] = []

    def record(self, args=None, kwargs=None, **options):
        sent.append((self.name, tuple(args or ()), dict(kwargs or {})))

    monkeypatch.setattr(Task, "apply_async", record)
    return sent


@pytest.fixture
def webhook_requests(monkeypatch):
    """Every webhook request (url, headers, body), answered 200 without the network."""
    sent: list[tuple[str, dict, str]] = []

    def post(url, *, content, headers, timeout):
        sent.append((url, dict(headers), content.decode()))
        return httpx.Response(200)

    monkeypatch.setattr(webhooks, "url_check", lambda url: None)
    monkeypatch.setattr(webhooks.httpx, "post", post)
    return sent


def test_the_written_forms_cover_spaces_dots_and_dashes():
    assert {"111222333", "111 222 333", "111.222.333", "1112.22.333", "1112-22-333"} <= (
        _written("111222333")
    )


def test_no_page_shows_a_bsn(client, world, everything_logged):  # noqa: F811
    candidates = list(Candidate.objects.exclude(bsn_encrypted=""))
    assert {c.bsn for c in candidates} <= set(BSNS)
    assert len(candidates) >= 4
    secrets = _secrets(candidates)
    pages = 0
    for name, path, _spec in _requests(world):
        assert _leaked(path, secrets) == [], name
        for role in OUTSIDERS:
            response = _client_for(client, world.users[role]).get(path)
            assert response.status_code != 500, (role, path)
            text = response.content.decode(errors="replace") + response.get("Location", "")
            assert _leaked(text, secrets) == [], (role, path)
            pages += response.status_code == 200
    assert pages > 60
    # Beheer reads the candidates in the admin, masked.
    admin = _client_for(client, world.users["beheer"])
    html = admin.get(reverse("admin:candidates_candidate_change", args=[world.candidate.pk]))
    assert "*****" + world.candidate.bsn[-4:] in html.content.decode()
    assert _leaked(_log_text(everything_logged), secrets) == []


def _user_of(**trait):
    """A user of a new organisation with a webhook endpoint, who wants every event at once by
    e-mail."""
    organisation = OrganisationFactory(**trait)
    WebhookEndpoint.objects.create(
        organisation=organisation, url="https://ontvanger.example/hook", secret=secret_generate()
    )
    user = UserFactory(organisation=organisation)
    for event in EVENTS:
        preference_set(user=user, event_type_name=event, mode=Mode.IMMEDIATE)
    return user


def _database_text() -> str:
    """Every text column of every table of the portal's models, as one text."""
    parts = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            columns = [
                f.column
                for f in model._meta.concrete_fields
                if f.get_internal_type() in ("CharField", "TextField", "JSONField", "EmailField")
            ]
            if not columns:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            select = ", ".join(f"{connection.ops.quote_name(c)}::text" for c in columns)
            cursor.execute(f"SELECT {select} FROM {table}")  # noqa: S608  (names from _meta)
            parts.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(parts)


def test_no_message_holds_a_bsn(
    client,
    mailoutbox,
    celery_sent,
    webhook_requests,
    everything_logged,
    django_capture_on_commit_callbacks,
):
    consultant = _user_of()
    werkgevers = [_user_of(werkgever=True) for _ in range(2)]
    school_user = _user_of(school=True)
    leerbaan = open_leerbaan(werkgevers[0])
    declining = open_leerbaan(werkgevers[1], kwalificatie=leerbaan.kwalificatie)
    instelling = MboInstellingFactory(organisation=school_user.organisation)
    MboLocatieFactory(instelling=instelling, lat=52.117, lon=5.12)
    OpleidingsaanbodFactory(instelling=instelling, kwalificatie=leerbaan.kwalificatie)
    PostcodeFactory(pc4="3512", lat=52.09, lon=5.12)

    with django_capture_on_commit_callbacks(execute=True):
        # Registered through the form, as a consultant types it (with dots).
        client.force_login(consultant)
        response = client.post(
            reverse("candidates:candidate_create"),
            {
                "first_name": "Fatima",
                "last_name": "Oudewaterveen",
                "bsn": "1234.56.782",
                "postcode": "3512",
                "wished_kwalificaties": [leerbaan.kwalificatie.pk],
                "route": "diploma",
                "max_travel_km": 30,
                "hours_per_week": 32,
                "earliest_start_date": timezone.localdate().isoformat(),
                "consent": "on",
            },
        )
        assert response.status_code == 302
        candidate = Candidate.objects.get(last_name="Oudewaterveen")
        assert candidate.bsn == FLOW_BSN
        made = [
            candidate_services.voordracht_make(candidate=candidate, leerbaan=one, by=consultant)
            for one in (leerbaan, declining)
        ]
        candidate_services.voordracht_decline(
            voordracht=made[1], by=werkgevers[1], reason_code=DeclineReason.GESPREK
        )
        candidate_services.voordracht_invite(voordracht=made[0], by=werkgevers[0], **interview())
        enrolment = trajecten_services.voordracht_accept(voordracht=made[0], by=werkgevers[0])
        trajecten_services.enrolment_accept(
            enrolment=enrolment,
            by=school_user,
            start_date=timezone.localdate(),
            route=enrolment.route,
        )
        make_ready(enrolment)
        trajecten_services.enrolment_start(enrolment=enrolment, by=school_user)
        trajecten_services.enrolment_complete(
            enrolment=enrolment, by=school_user, outcome_date=timezone.localdate()
        )

    parties = [u.organisation for u in [consultant, *werkgevers, school_user]]
    outbox = OutboxMessage.objects.filter(organisation__in=parties)
    # Celery carried ids only: the outbox rows', nothing else.
    assert celery_sent, "the flow queued no task"
    for name, args, kwargs in celery_sent:
        assert all(isinstance(arg, int) for arg in args), (name, args)
        assert not kwargs, (name, kwargs)
    assert {args[0] for _name, args, _kw in celery_sent} >= set(outbox.values_list("pk", flat=True))
    for message_id in outbox.values_list("pk", flat=True):
        assert outbox_deliver(message_id=message_id) is True

    secrets = _secrets([candidate])
    assert len(mailoutbox) == outbox.filter(channel=Channel.EMAIL).count() > 10
    for sent in mailoutbox:
        html = "".join(content for content, _mimetype in sent.alternatives)
        text = " ".join([sent.subject, sent.body, html, *sent.to, json.dumps(sent.extra_headers)])
        assert _leaked(text, secrets) == [], sent.subject
    for message in outbox:
        text = json.dumps([message.subject, message.body, message.body_html, message.payload])
        assert _leaked(text, secrets) == [], message.kind
    for event in Event.objects.filter(outbox__in=outbox).distinct():
        assert _leaked(f"{event.type} {event.subject_type} {event.path}", secrets) == []
    assert len(webhook_requests) == outbox.filter(channel=Channel.WEBHOOK).count() > 5
    for url, headers, body in webhook_requests:
        assert _leaked(url + json.dumps(headers) + body, secrets) == []
    for name, args, kwargs in celery_sent:
        assert _leaked(name + json.dumps([args, kwargs]), secrets) == []
    assert _leaked(_log_text(everything_logged), secrets) == []
    # The database: the BSN in plain text nowhere (its token and index only in their columns).
    stored = _database_text()
    assert _leaked(stored, {FLOW_BSN: "BSN"}) == []
    assert stored.count(candidate.bsn_encrypted) == 1
    assert stored.count(candidate.bsn_index) == 1


def _bsn_column_values() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT bsn_encrypted, bsn_index FROM candidates_candidate")
        return cursor.fetchall()


def test_the_bsn_column_holds_no_plain_bsn(world):  # noqa: F811
    rows = [row for row in _bsn_column_values() if row[0]]
    assert len(rows) >= 4
    for token, index in rows:
        assert re.fullmatch(r"gAAAAA[A-Za-z0-9_=-]+", token)
        assert re.fullmatch(r"[0-9a-f]{64}", index)
        assert not any(bsn in token + index for bsn in BSNS)


@pytest.mark.ignore_template_errors  # the technical report leaves variables unset
def test_an_error_page_and_report_hold_no_bsn(client, settings, monkeypatch, everything_logged):
    """A registration that fails after the form, in production (``DEBUG`` off): the 500 page,
    and the technical report Django would mail or log of it (POST data and every frame's
    local variables, filtered by ``sensitive_post_parameters`` and ``sensitive_variables``),
    show neither the BSN posted nor the keys. (With ``DEBUG`` on, in development only, Django
    shows everything by design.)"""
    settings.DEBUG = False
    consultant = UserFactory()
    kwalificatie = OpleidingsaanbodFactory().kwalificatie
    PostcodeFactory(pc4="3513")
    reports: list[str] = []

    def report(sender, request, **kwargs):
        reporter = ExceptionReporter(request, *sys.exc_info(), is_email=True)
        reports.extend([reporter.get_traceback_text(), reporter.get_traceback_html()])

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(candidate_services, "log_write", broken)
    got_request_exception.connect(report)
    client.raise_request_exception = False
    client.force_login(consultant)
    try:
        response = client.post(
            reverse("candidates:candidate_create"),
            {
                "first_name": "Sanne",
                "last_name": "de Vries",
                "bsn": FLOW_BSN,
                "postcode": "3513",
                "wished_kwalificaties": [kwalificatie.pk],
                "route": "diploma",
                "max_travel_km": 20,
                "hours_per_week": 32,
                "earliest_start_date": timezone.localdate().isoformat(),
            },
        )
    finally:
        got_request_exception.disconnect(report)
    assert response.status_code == 500
    assert len(reports) == 2
    assert "candidate_register" in reports[0]
    secrets = dict.fromkeys(_written(FLOW_BSN), "BSN")
    for key in [*settings.BSN_ENCRYPTION_KEYS, settings.BSN_INDEX_KEY]:
        secrets[key] = "a key"
    for text in [response.content.decode(errors="replace"), *reports]:
        for secret in secrets:
            where = text.find(secret)
            assert where == -1, text[max(0, where - 300) : where + 50]
    assert _leaked(_log_text(everything_logged), secrets) == []
