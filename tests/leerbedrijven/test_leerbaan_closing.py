"""When a leerbaan closes: at the end of its closing date in Europe/Amsterdam, also on the two
days a year the clocks change (the last Sundays of March and October), by the page's own test
(``Leerbaan.is_open``) and by the scheduled job (``candidates.services.flow_close_due``); a
full one becomes vervuld; the reminders 7 days and 1 day before link to extend and close."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.services import flow_close_due
from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.models import Leerbaan
from leerbedrijven.services import leerbaan_reminders_send
from praktijkleren.notifications.constants import Channel
from praktijkleren.notifications.models import Event, Notification, OutboxMessage
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.leerbedrijven.factories import LeerbaanFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC
# Closing dates and the UTC instant the leerbaan closes (midnight after it, local time).
EDGES = {
    "normal winter day": (dt.date(2026, 1, 15), dt.datetime(2026, 1, 15, 23, 0, tzinfo=UTC)),
    "summer time starts 2026": (
        dt.date(2026, 3, 29),
        dt.datetime(2026, 3, 29, 22, 0, tzinfo=UTC),
    ),
    "summer time ends 2026": (
        dt.date(2026, 10, 25),
        dt.datetime(2026, 10, 25, 23, 0, tzinfo=UTC),
    ),
    "summer time starts 2027": (
        dt.date(2027, 3, 28),
        dt.datetime(2027, 3, 28, 22, 0, tzinfo=UTC),
    ),
    "summer time ends 2027": (
        dt.date(2027, 10, 31),
        dt.datetime(2027, 10, 31, 23, 0, tzinfo=UTC),
    ),
    "the day before summer time starts": (
        dt.date(2026, 3, 28),
        dt.datetime(2026, 3, 28, 23, 0, tzinfo=UTC),
    ),
}


def _published(closing_date: dt.date, **fields) -> Leerbaan:
    return LeerbaanFactory(
        closing_date=closing_date,
        start_date=closing_date + dt.timedelta(days=30),
        status=LeerbaanStatus.GEPUBLICEERD,
        **fields,
    )


def _local(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMSTERDAM)


@pytest.mark.parametrize("name", sorted(EDGES))
def test_a_leerbaan_is_open_until_the_last_minute_of_its_closing_date(name):
    closing_date, closes_utc = EDGES[name]
    leerbaan = _published(closing_date)
    assert leerbaan.closes_at() == closes_utc
    last_minute = _local(closing_date, 23, 59)
    midnight = _local(closing_date + dt.timedelta(days=1), 0, 0)
    assert midnight - last_minute == dt.timedelta(minutes=1)  # also on a 23- or 25-hour day
    assert leerbaan.is_open(at=last_minute)
    assert leerbaan.openness_label(at=last_minute) == "Open voor voordrachten"
    assert leerbaan.is_open(at=closes_utc - dt.timedelta(seconds=1))
    assert not leerbaan.is_open(at=midnight)
    assert leerbaan.openness_label(at=midnight) == "Gesloten: de sluitingsdatum is voorbij"


def _run_job_at(monkeypatch, at: dt.datetime) -> dict[str, int]:
    """The scheduled job as if the clock said ``at`` (the transition's own rule asks the
    clock too)."""
    monkeypatch.setattr(timezone, "now", lambda: at.astimezone(UTC))
    return flow_close_due(at=at)


@pytest.mark.parametrize("name", sorted(EDGES))
def test_the_scheduled_job_closes_it_at_midnight_not_a_minute_before(name, monkeypatch):
    closing_date, _utc = EDGES[name]
    leerbaan = _published(closing_date)
    _run_job_at(monkeypatch, _local(closing_date, 23, 59))
    assert Leerbaan.objects.get(pk=leerbaan.pk).status == LeerbaanStatus.GEPUBLICEERD
    counts = _run_job_at(monkeypatch, _local(closing_date + dt.timedelta(days=1), 0, 0))
    assert Leerbaan.objects.get(pk=leerbaan.pk).status == LeerbaanStatus.VERLOPEN
    assert counts["verlopen"] >= 1
    log = leerbaan.transitions.order_by("-pk").first()
    assert (log.transition, log.by) == ("expire", None)


def test_the_scheduled_job_fills_a_full_leerbaan():
    leerbaan = _published(dt.date(2027, 6, 30), places=2)
    Leerbaan.objects.filter(pk=leerbaan.pk).update(places_taken=2)
    leerbaan.refresh_from_db()
    assert not leerbaan.is_open(at=_local(dt.date(2027, 6, 1), 12, 0))
    assert leerbaan.openness_label(at=_local(dt.date(2027, 6, 1), 12, 0)) == (
        "Gesloten: alle plaatsen zijn bezet"
    )
    flow_close_due(at=_local(dt.date(2027, 6, 1), 12, 0))
    assert Leerbaan.objects.get(pk=leerbaan.pk).status == LeerbaanStatus.VERVULD


def test_places_are_said_the_same_everywhere():
    leerbaan = _published(dt.date(2027, 6, 30), places=2)
    assert leerbaan.places_label() == "2 plaatsen, nog geen bezet"
    leerbaan.places_taken = 1
    assert leerbaan.places_label() == "1 van 2 plaatsen bezet"
    leerbaan.places_taken = 2
    assert leerbaan.places_label() == "alle 2 plaatsen bezet"


# --- reminders -------------------------------------------------------------------------------

TODAY = dt.date(2031, 5, 5)


@pytest.fixture
def werkgever():
    return UserFactory(organisation=OrganisationFactory(werkgever=True, email="hr@example.nl"))


@pytest.mark.parametrize(
    ("days", "event"), [(7, "leerbaan.closing_in_7_days"), (1, "leerbaan.closing_in_1_day")]
)
def test_reminders_link_straight_to_extend_and_close(werkgever, days, event, settings):
    leerbaan = _published(
        TODAY + dt.timedelta(days=days), leerbedrijf__organisation=werkgever.organisation
    )
    not_due = _published(
        TODAY + dt.timedelta(days=days + 1), leerbedrijf__organisation=werkgever.organisation
    )
    leerbaan_reminders_send(today=TODAY)
    extend = reverse(
        "candidates:leerbaan_transition", kwargs={"pk": leerbaan.pk, "transition": "extend"}
    )
    close = reverse(
        "candidates:leerbaan_transition", kwargs={"pk": leerbaan.pk, "transition": "close"}
    )
    sent = Event.objects.get(subject_type="leerbaan", subject_id=leerbaan.pk)
    assert sent.type == event
    assert sent.path == extend  # the portal's notification opens the extend page
    assert Notification.objects.filter(event=sent, user=werkgever).exists()
    mails = OutboxMessage.objects.filter(event=sent, channel=Channel.EMAIL)
    assert {m.to_email for m in mails} >= {"hr@example.nl", werkgever.email}
    base = settings.PORTAL_URL.rstrip("/")
    for mail in mails:
        assert base + extend in mail.body
        assert base + close in mail.body
        assert base + extend in mail.body_html
    assert not Event.objects.filter(subject_type="leerbaan", subject_id=not_due.pk).exists()
    # A second run the same day tells nobody twice.
    leerbaan_reminders_send(today=TODAY)
    assert Event.objects.filter(subject_type="leerbaan", subject_id=leerbaan.pk).count() == 1


def test_no_reminder_for_a_closed_leerbaan(werkgever):
    leerbaan = _published(
        TODAY + dt.timedelta(days=7), leerbedrijf__organisation=werkgever.organisation
    )
    Leerbaan.objects.filter(pk=leerbaan.pk).update(status=LeerbaanStatus.GESLOTEN)
    leerbaan_reminders_send(today=TODAY)
    assert not Event.objects.filter(subject_type="leerbaan", subject_id=leerbaan.pk).exists()
