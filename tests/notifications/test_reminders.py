"""The scheduled announcements: leerbanen that close in 7 days or tomorrow
(``leerbedrijven.services.leerbaan_reminders_send``, task ``leerbedrijven.reminders_send``) and
BBL erkenningen that end within 90 days or have ended while something depends on them
(``trajecten.services.erkenningen_announce``, task ``trajecten.erkenningen_announce``).

Who is told, what is outside the window, the edges of the window, and that a second run on the
same day tells nobody twice. The services take ``today``; the tasks use the date in
Europe/Amsterdam (no time-freezing library in the dev dependencies: ``timezone.now`` is patched
where the hour matters). Assertions look at the events of the test's own objects, not at global
counts, so rows another test run commits to the same database (live-server tests) do not
disturb them."""

import datetime as dt

import pytest
from django.utils import timezone

from candidates.constants import VoordrachtStatus
from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.models import Erkenning
from leerbedrijven.selectors import closing_today
from leerbedrijven.services import leerbaan_reminders_send
from leerbedrijven.tasks import reminders_send
from opleidingen.constants import Leerweg
from praktijkleren.notifications.constants import Channel
from praktijkleren.notifications.models import Event, Notification, OutboxMessage, WebhookEndpoint
from praktijkleren.notifications.webhooks import secret_generate
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import VoordrachtFactory
from tests.leerbedrijven.factories import LeerbaanFactory, LeerbedrijfFactory
from tests.opleidingen.factories import KwalificatieFactory
from tests.trajecten.factories import EnrolmentFactory
from trajecten.services import erkenningen_announce
from trajecten.tasks import erkenningen_announce_task

pytestmark = pytest.mark.django_db

TODAY = dt.date(2030, 3, 4)  # far from the factories' default dates
L = LeerbaanStatus


def _of(*subjects):
    """The events of ``subjects`` (model instances), oldest first."""
    rows = Event.objects.none()
    for subject in subjects:
        rows |= Event.objects.filter(subject_type=subject._meta.model_name, subject_id=subject.pk)
    return rows.order_by("pk")


def _events(*subjects):
    return list(_of(*subjects).values_list("type", flat=True))


def _told(*subjects):
    """The organisations and the people told about ``subjects``."""
    events = _of(*subjects)
    organisations = OutboxMessage.objects.filter(event__in=events).values_list("organisation")
    people = Notification.objects.filter(event__in=events).values_list("user")
    return {pk for (pk,) in organisations}, {pk for (pk,) in people}


def _snapshot(*subjects):
    """Everything a run wrote about ``subjects``, to compare a second run with."""
    events = _of(*subjects)
    return (
        list(events.values_list("pk", flat=True)),
        OutboxMessage.objects.filter(event__in=events).count(),
        Notification.objects.filter(event__in=events).count(),
    )


# --- leerbanen closing -------------------------------------------------------------------------


def _leerbaan(closes_in_days, *, status=L.GEPUBLICEERD, today=TODAY, **fields):
    if status == L.VERVULD:
        fields.setdefault("places_taken", 2)
    return LeerbaanFactory(
        closing_date=today + dt.timedelta(days=closes_in_days),
        start_date=today + dt.timedelta(days=60),
        status=status,
        erkend=False,
        **fields,
    )


@pytest.mark.parametrize(
    ("closes_in_days", "expected"),
    [
        (0, []),
        (1, ["leerbaan.closing_in_1_day"]),
        (2, []),
        (6, []),
        (7, ["leerbaan.closing_in_7_days"]),
        (8, []),
        (-1, []),
    ],
)
def test_a_published_leerbaan_is_reminded_7_days_and_1_day_before_it_closes(
    closes_in_days, expected, queued
):
    leerbaan = _leerbaan(closes_in_days)

    assert leerbaan_reminders_send(today=TODAY) == len(expected)

    assert _events(leerbaan) == expected


@pytest.mark.parametrize("status", [L.CONCEPT, L.VERVULD, L.GESLOTEN, L.VERLOPEN])
def test_only_published_leerbanen_are_reminded(status, queued):
    leerbanen = [_leerbaan(7, status=status), _leerbaan(1, status=status)]

    assert leerbaan_reminders_send(today=TODAY) == 0

    assert _events(*leerbanen) == []


def test_the_werkgever_is_told_its_organisation_and_its_active_users(queued):
    organisation = OrganisationFactory(werkgever=True)
    endpoint = WebhookEndpoint.objects.create(
        organisation=organisation, url="https://ontvanger.example/hook", secret=secret_generate()
    )
    active = UserFactory(organisation=organisation)
    inactive = UserFactory(organisation=organisation, is_active=False)
    leerbaan = _leerbaan(7, leerbedrijf__organisation=organisation)
    other = _leerbaan(30)  # another werkgever, outside the window
    consultant = UserFactory()  # not a party of a leerbaan reminder

    leerbaan_reminders_send(today=TODAY)

    told = OutboxMessage.objects.filter(event__in=_of(leerbaan))
    assert sorted(told.values_list("channel", "to_email")) == sorted(
        [
            (Channel.EMAIL, active.email),
            (Channel.EMAIL, organisation.email),
            (Channel.WEBHOOK, ""),
        ]
    )
    assert told.get(channel=Channel.WEBHOOK).endpoint == endpoint
    assert _told(leerbaan) == ({organisation.pk}, {active.pk})
    assert not OutboxMessage.objects.filter(user__in=[inactive, consultant]).exists()
    assert _events(other) == []
    assert leerbaan.titel in told.get(user=active).subject


def test_a_second_run_the_same_day_tells_nobody_twice(queued):
    leerbanen = [_leerbaan(7), _leerbaan(1)]
    leerbaan_reminders_send(today=TODAY)
    first = _snapshot(*leerbanen)

    leerbaan_reminders_send(today=TODAY)

    assert _snapshot(*leerbanen) == first
    assert len(first[0]) == 2


def test_the_week_and_the_day_before_are_two_reminders_and_an_extension_a_new_one(queued):
    leerbaan = _leerbaan(7)
    for day in range(8):  # a week of daily runs, up to and including the closing date
        leerbaan_reminders_send(today=TODAY + dt.timedelta(days=day))
    assert _events(leerbaan) == ["leerbaan.closing_in_7_days", "leerbaan.closing_in_1_day"]

    # Extended by two weeks: the new closing date is reminded again.
    leerbaan.closing_date += dt.timedelta(days=14)
    leerbaan.save(update_fields=["closing_date"])
    leerbaan_reminders_send(today=leerbaan.closing_date - dt.timedelta(days=7))
    assert _events(leerbaan)[-1] == "leerbaan.closing_in_7_days"
    assert len(_events(leerbaan)) == 3


def test_the_task_reminds_by_todays_date_and_only_once(queued):
    today = closing_today()
    leerbaan = _leerbaan(7, today=today)

    reminders_send()
    first = _snapshot(leerbaan)
    reminders_send()

    assert _events(leerbaan) == ["leerbaan.closing_in_7_days"]
    assert _snapshot(leerbaan) == first


def test_the_task_counts_days_in_dutch_time(monkeypatch, queued):
    """At 23:30 UTC on 7 January it is already 8 January in Amsterdam: a leerbaan closing on
    15 January is 7 days away, one closing on 14 January 6 days."""
    half_past_midnight = dt.datetime(2027, 1, 7, 23, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: half_past_midnight)
    in_7_days = _leerbaan(7, today=dt.date(2027, 1, 8))
    in_6_days = _leerbaan(6, today=dt.date(2027, 1, 8))

    reminders_send()

    assert _events(in_7_days) == ["leerbaan.closing_in_7_days"]
    assert _events(in_6_days) == []


# --- erkenningen ending ------------------------------------------------------------------------


def _erkenning(ends_in_days, *, leerweg=Leerweg.BBL, leerbaan_status=L.GEPUBLICEERD):
    """An erkenning ending ``ends_in_days`` after TODAY (None: open-ended) with one leerbaan of
    its leerbedrijf for its kwalificatie, in ``leerbaan_status``."""
    leerbedrijf = LeerbedrijfFactory()
    erkenning = Erkenning.objects.create(
        leerbedrijf=leerbedrijf,
        kwalificatie=KwalificatieFactory(),
        leerweg=leerweg,
        geldig_van=dt.date(2020, 1, 1),
        geldig_tot=None if ends_in_days is None else TODAY + dt.timedelta(days=ends_in_days),
    )
    erkenning.leerbaan = _leerbaan(
        30, status=leerbaan_status, leerbedrijf=leerbedrijf, kwalificatie=erkenning.kwalificatie
    )
    return erkenning


@pytest.mark.parametrize(
    ("ends_in_days", "expected"),
    [
        (None, []),
        (91, []),
        (90, ["erkenning.ending"]),
        (30, ["erkenning.ending"]),
        (0, ["erkenning.ending"]),  # still valid today
        (-1, ["erkenning.ended"]),
        (-400, ["erkenning.ended"]),
    ],
)
def test_an_erkenning_is_announced_within_90_days_of_its_end_and_after_it(
    ends_in_days, expected, queued
):
    erkenning = _erkenning(ends_in_days)

    erkenningen_announce(today=TODAY)

    assert _events(erkenning) == expected
    told = {erkenning.leerbedrijf.organisation_id} if expected else set()
    assert _told(erkenning)[0] == told


def test_a_bol_erkenning_is_not_announced(queued):
    erkenning = _erkenning(10, leerweg=Leerweg.BOL)
    erkenningen_announce(today=TODAY)
    assert _events(erkenning) == []


def _voordracht(erkenning, status):
    return VoordrachtFactory(leerbaan=erkenning.leerbaan, status=status)


def _enrolment(erkenning, status):
    start = {} if status == "aangevraagd" else {"start_date": TODAY}
    reason = {"end_reason": "verhuisd"} if status == "gestopt" else {}
    return EnrolmentFactory(
        leerbaan=erkenning.leerbaan,
        kwalificatie=erkenning.kwalificatie,
        status=status,
        **start,
        **reason,
    )


@pytest.mark.parametrize(
    ("dependent", "status", "announced"),
    [
        (None, None, False),
        (_voordracht, VoordrachtStatus.VOORGEDRAGEN, True),
        (_voordracht, VoordrachtStatus.UITGENODIGD, True),
        (_voordracht, VoordrachtStatus.AANGENOMEN, True),
        (_voordracht, VoordrachtStatus.AFGEWEZEN, False),
        (_voordracht, VoordrachtStatus.INGETROKKEN, False),
        (_enrolment, "aangevraagd", True),
        (_enrolment, "gestart", True),
        (_enrolment, "afgerond", False),
        (_enrolment, "gestopt", False),
    ],
)
@pytest.mark.parametrize("leerbaan_status", [L.GESLOTEN, L.VERVULD, L.CONCEPT])
def test_only_an_erkenning_something_still_depends_on_is_announced(
    dependent, status, announced, leerbaan_status, queued
):
    erkenning = _erkenning(30, leerbaan_status=leerbaan_status)
    if dependent is not None:
        dependent(erkenning, status)

    erkenningen_announce(today=TODAY)

    assert _events(erkenning) == (["erkenning.ending"] if announced else [])


def test_the_werkgever_the_candidates_side_and_the_school_are_told(queued):
    erkenning = _erkenning(30)
    werkgever_user = UserFactory(organisation=erkenning.leerbedrijf.organisation)
    voordracht = _voordracht(erkenning, VoordrachtStatus.VOORGEDRAGEN)
    enrolment = _enrolment(erkenning, "gestart")
    school_user = UserFactory(organisation=enrolment.instelling.organisation)
    # Not told: a voordracht that ended, another kwalificatie at the same leerbedrijf, another
    # leerbedrijf.
    declined = _voordracht(erkenning, VoordrachtStatus.AFGEWEZEN)
    elsewhere = VoordrachtFactory(
        leerbaan=_leerbaan(30, leerbedrijf=erkenning.leerbedrijf), status="voorgedragen"
    )
    stranger = _erkenning(None)

    erkenningen_announce(today=TODAY)

    told, people = _told(erkenning)
    assert told == {
        erkenning.leerbedrijf.organisation_id,
        voordracht.candidate.organisation_id,
        enrolment.candidate.organisation_id,
        enrolment.instelling.organisation_id,
    }
    assert people == {
        werkgever_user.pk,
        voordracht.candidate.consultant_id,
        enrolment.candidate.consultant_id,
        school_user.pk,
    }
    assert declined.candidate.organisation_id not in told
    assert elsewhere.candidate.organisation_id not in told
    assert stranger.leerbedrijf.organisation_id not in told
    to_werkgever = OutboxMessage.objects.get(user=werkgever_user)
    assert "1 voordracht(en) en 1 inschrijving(en)" in to_werkgever.body


@pytest.mark.parametrize(
    ("next_from", "next_to", "announced"),
    [
        (1, None, False),  # renewed the day after, open-ended
        (-10, 400, False),  # renewed before the end, for longer
        (2, 400, True),  # a gap of a day: the erkenning does end
        (-100, -5, True),  # an overlapping period that ends earlier
    ],
)
def test_a_renewed_erkenning_is_not_announced(next_from, next_to, announced, queued):
    erkenning = _erkenning(30)
    Erkenning.objects.create(
        leerbedrijf=erkenning.leerbedrijf,
        kwalificatie=erkenning.kwalificatie,
        leerweg=erkenning.leerweg,
        geldig_van=erkenning.geldig_tot + dt.timedelta(days=next_from),
        geldig_tot=None if next_to is None else erkenning.geldig_tot + dt.timedelta(days=next_to),
    )

    erkenningen_announce(today=TODAY)

    assert _events(erkenning) == (["erkenning.ending"] if announced else [])


def test_each_end_is_announced_once_ending_then_ended(queued):
    erkenning = _erkenning(30)
    _voordracht(erkenning, VoordrachtStatus.UITGENODIGD)
    erkenningen_announce(today=TODAY)
    first = _snapshot(erkenning)

    for day in [TODAY, TODAY + dt.timedelta(days=1), erkenning.geldig_tot]:
        erkenningen_announce(today=day)
    assert _snapshot(erkenning) == first
    assert _events(erkenning) == ["erkenning.ending"]

    after = erkenning.geldig_tot + dt.timedelta(days=1)
    erkenningen_announce(today=after)
    erkenningen_announce(today=after + dt.timedelta(days=5))
    assert _events(erkenning) == ["erkenning.ending", "erkenning.ended"]


def test_a_new_end_date_is_announced_again(queued):
    erkenning = _erkenning(30)
    erkenningen_announce(today=TODAY)
    erkenning.geldig_tot += dt.timedelta(days=50)  # extended, still within 90 days
    erkenning.save(update_fields=["geldig_tot"])

    erkenningen_announce(today=TODAY)

    assert _events(erkenning) == ["erkenning.ending", "erkenning.ending"]
    versions = _of(erkenning).values_list("version", flat=True)
    assert [dt.date.fromordinal(v) for v in versions] == [
        TODAY + dt.timedelta(days=30),
        TODAY + dt.timedelta(days=80),
    ]


def test_the_task_announces_by_todays_date_and_only_once(queued):
    erkenning = Erkenning.objects.create(
        leerbedrijf=LeerbedrijfFactory(),
        kwalificatie=KwalificatieFactory(),
        leerweg=Leerweg.BBL,
        geldig_van=dt.date(2020, 1, 1),
        geldig_tot=closing_today() + dt.timedelta(days=90),
    )
    _leerbaan(
        30,
        today=closing_today(),
        leerbedrijf=erkenning.leerbedrijf,
        kwalificatie=erkenning.kwalificatie,
    )

    erkenningen_announce_task()
    first = _snapshot(erkenning)
    erkenningen_announce_task()

    assert _events(erkenning) == ["erkenning.ending"]
    assert _snapshot(erkenning) == first
