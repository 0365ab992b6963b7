"""The leerbaan's workflow, 'closed means closed' (the end of the closing date in
Europe/Amsterdam, also across daylight saving) and the scheduled job that moves leerbanen and
unanswered voordrachten on."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from candidates import services
from candidates.constants import CandidateStatus, VoordrachtStatus
from candidates.models import Candidate, Voordracht
from candidates.tasks import close_due
from leerbedrijven import services as leerbaan_services
from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.models import Erkenning, Leerbaan
from leerbedrijven.selectors import leerbanen_open
from praktijkleren.workflow import TransitionRefused
from tests.accounts.factories import UserFactory
from tests.candidates.factories import CandidateFactory
from tests.workflows.conftest import interview, open_leerbaan, voordracht_in
from tests.workflows.test_voordracht import declared

pytestmark = pytest.mark.django_db

L = LeerbaanStatus
AMS = ZoneInfo("Europe/Amsterdam")
TABLE = {
    "publish": ({L.CONCEPT}, L.GEPUBLICEERD),
    "fill": ({L.GEPUBLICEERD, L.VERLOPEN}, L.VERVULD),
    "close": ({L.CONCEPT, L.GEPUBLICEERD, L.VERLOPEN}, L.GESLOTEN),
    "expire": ({L.GEPUBLICEERD}, L.VERLOPEN),
    # The employers issue: the werkgever extends the closing date (a verlopen one re-opens).
    "extend": ({L.GEPUBLICEERD, L.VERLOPEN}, L.GEPUBLICEERD),
}


def test_the_declared_workflow_is_the_issues_table():
    assert declared(Leerbaan) == TABLE


def _in(state, werkgever, **fields):
    leerbaan = open_leerbaan(werkgever, **fields)
    full = {"places_taken": leerbaan.places} if state == L.VERVULD else {}
    Leerbaan.objects.filter(pk=leerbaan.pk).update(status=state, **full)
    return Leerbaan.objects.get(pk=leerbaan.pk)


@pytest.mark.parametrize(("state", "name"), list(itertools.product(L.values, ["publish", "close"])))
def test_the_werkgever_publishes_and_closes(state, name, werkgever):
    leerbaan = _in(state, werkgever)
    sources, target = TABLE[name]
    service = getattr(leerbaan_services, f"leerbaan_{name}")
    if state in sources:
        service(leerbaan=leerbaan, by=werkgever)
        leerbaan.refresh_from_db()
        assert leerbaan.status == target
        assert leerbaan.transitions.get().organisation == werkgever.organisation
    else:
        with pytest.raises(TransitionRefused) as refused:
            service(leerbaan=leerbaan, by=werkgever)
        assert refused.value.code == "state"
    with pytest.raises(TransitionRefused):
        service(leerbaan=_in(state, werkgever), by=UserFactory())


@pytest.mark.parametrize(("state", "name"), list(itertools.product(L.values, ["expire", "fill"])))
def test_the_system_expires_and_fills(state, name, werkgever, today):
    leerbaan = _in(state, werkgever, places=1)
    Leerbaan.objects.filter(pk=leerbaan.pk).update(
        closing_date=today - dt.timedelta(days=1), places_taken=1
    )
    leerbaan.refresh_from_db()
    sources, target = TABLE[name]
    service = getattr(leerbaan_services, f"leerbaan_{name}")
    if state in sources:
        service(leerbaan=leerbaan)
        assert Leerbaan.objects.get(pk=leerbaan.pk).status == target
        assert leerbaan.transitions.get().by is None
    else:
        with pytest.raises(TransitionRefused):
            service(leerbaan=leerbaan)


def test_publishing_needs_a_future_closing_date_and_an_erkenning(werkgever, today):
    past = _in(L.CONCEPT, werkgever)
    Leerbaan.objects.filter(pk=past.pk).update(closing_date=today - dt.timedelta(days=1))
    with pytest.raises(TransitionRefused, match="sluitingsdatum"):
        leerbaan_services.leerbaan_publish(leerbaan=past, by=werkgever)
    unerkend = _in(L.CONCEPT, werkgever)
    Erkenning.objects.filter(leerbedrijf=unerkend.leerbedrijf).update(
        geldig_tot=unerkend.start_date - dt.timedelta(days=1)
    )
    with pytest.raises(TransitionRefused, match="niet erkend"):
        leerbaan_services.leerbaan_publish(leerbaan=unerkend, by=werkgever)


@pytest.mark.parametrize(
    ("closing", "moment", "is_open"),
    [
        (dt.date(2027, 6, 30), dt.datetime(2027, 6, 30, 23, 59, 59, tzinfo=AMS), True),
        (dt.date(2027, 6, 30), dt.datetime(2027, 7, 1, 0, 0, 0, tzinfo=AMS), False),
        # 23:30 UTC on the closing date is already the next day in Amsterdam (summer: UTC+2).
        (dt.date(2027, 6, 30), dt.datetime(2027, 6, 30, 21, 59, tzinfo=dt.UTC), True),
        (dt.date(2027, 6, 30), dt.datetime(2027, 6, 30, 22, 0, tzinfo=dt.UTC), False),
        # The spring-forward day (31 March 2027, 23 hours) and the fall-back day (31 October
        # 2027, 25 hours) close at their own midnight.
        (dt.date(2027, 3, 28), dt.datetime(2027, 3, 28, 21, 59, tzinfo=dt.UTC), True),
        (dt.date(2027, 3, 28), dt.datetime(2027, 3, 28, 22, 0, tzinfo=dt.UTC), False),
        (dt.date(2027, 10, 31), dt.datetime(2027, 10, 31, 22, 59, tzinfo=dt.UTC), True),
        (dt.date(2027, 10, 31), dt.datetime(2027, 10, 31, 23, 0, tzinfo=dt.UTC), False),
    ],
)
def test_a_leerbaan_closes_at_the_end_of_its_closing_date_in_amsterdam(
    closing, moment, is_open, werkgever
):
    leerbaan = _in(L.GEPUBLICEERD, werkgever)
    leerbaan.closing_date, leerbaan.start_date = closing, closing + dt.timedelta(days=30)
    assert leerbaan.is_open(at=moment) is is_open
    assert leerbaan.is_past_closing(at=moment) is not is_open
    assert (leerbaan.openness_label(at=moment) == "Open voor voordrachten") is is_open


def test_open_leerbanen_selector_agrees_with_the_model(werkgever, today):
    open_one = _in(L.GEPUBLICEERD, werkgever)
    closing_today = _in(L.GEPUBLICEERD, werkgever)
    Leerbaan.objects.filter(pk=closing_today.pk).update(closing_date=today)
    past = _in(L.GEPUBLICEERD, werkgever)
    Leerbaan.objects.filter(pk=past.pk).update(closing_date=today - dt.timedelta(days=1))
    full = _in(L.GEPUBLICEERD, werkgever)
    Leerbaan.objects.filter(pk=full.pk).update(places_taken=full.places)
    concept = _in(L.CONCEPT, werkgever)
    found = set(leerbanen_open())
    assert found == {open_one, closing_today}
    for leerbaan in (open_one, closing_today, past, full, concept):
        leerbaan.refresh_from_db()
        assert leerbaan.is_open() is (leerbaan in found)


def test_invitations_and_voordrachten_are_refused_on_a_closed_leerbaan(
    candidate, consultant, werkgever, today
):
    leerbaan = open_leerbaan(werkgever)
    voordracht = voordracht_in(VoordrachtStatus.VOORGEDRAGEN, candidate, leerbaan)
    Leerbaan.objects.filter(pk=leerbaan.pk).update(closing_date=today - dt.timedelta(days=1))
    with pytest.raises(TransitionRefused, match="gesloten"):
        services.voordracht_invite(voordracht=voordracht, by=werkgever, **interview())
    other = CandidateFactory(consultant=consultant, wished_kwalificaties=[leerbaan.kwalificatie])
    with pytest.raises(TransitionRefused, match="gesloten"):
        services.voordracht_make(candidate=other, leerbaan=leerbaan, by=consultant)


def test_closing_a_leerbaan_ends_its_open_voordrachten(candidate, werkgever):
    leerbaan = open_leerbaan(werkgever)
    voordracht = voordracht_in(VoordrachtStatus.UITGENODIGD, candidate, leerbaan)
    services.leerbaan_close_with_voordrachten(leerbaan=leerbaan, by=werkgever, reason="Vol")
    assert Leerbaan.objects.get(pk=leerbaan.pk).status == L.GESLOTEN
    voordracht.refresh_from_db()
    assert voordracht.status == VoordrachtStatus.VERLOPEN
    log = voordracht.transitions.get()
    assert (log.by, log.reason) == (werkgever, "De leerbaan is gesloten.")
    assert Candidate.objects.get(pk=candidate.pk).status == CandidateStatus.ACTIEF


def test_the_scheduled_job_moves_what_is_due(consultant, werkgever, today):
    past = open_leerbaan(werkgever)
    proposed = voordracht_in(
        VoordrachtStatus.VOORGEDRAGEN, CandidateFactory(consultant=consultant), past
    )
    invited = voordracht_in(
        VoordrachtStatus.UITGENODIGD, CandidateFactory(consultant=consultant), past
    )
    Leerbaan.objects.filter(pk=past.pk).update(closing_date=today - dt.timedelta(days=1))
    full = open_leerbaan(werkgever, places=1)
    Leerbaan.objects.filter(pk=full.pk).update(places_taken=1)
    still_open = open_leerbaan(werkgever)
    stale = voordracht_in(
        VoordrachtStatus.VOORGEDRAGEN, CandidateFactory(consultant=consultant), still_open
    )
    Voordracht.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - dt.timedelta(days=31))

    counts = close_due()

    assert counts == {"verlopen": 1, "vervuld": 1, "voordrachten verlopen": 2}
    assert Leerbaan.objects.get(pk=past.pk).status == L.VERLOPEN
    assert Leerbaan.objects.get(pk=full.pk).status == L.VERVULD
    assert Leerbaan.objects.get(pk=still_open.pk).status == L.GEPUBLICEERD
    assert Voordracht.objects.get(pk=proposed.pk).status == VoordrachtStatus.VERLOPEN
    assert Voordracht.objects.get(pk=invited.pk).status == VoordrachtStatus.UITGENODIGD
    assert Voordracht.objects.get(pk=stale.pk).status == VoordrachtStatus.VERLOPEN
    assert close_due() == {"verlopen": 0, "vervuld": 0, "voordrachten verlopen": 0}


def test_the_scheduled_job_runs_on_beat(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "candidates.close_due" in schedule


def test_a_vestiging_of_another_leerbedrijf_is_refused_by_the_database(werkgever):
    from django.db import IntegrityError, transaction

    from tests.leerbedrijven.factories import VestigingFactory

    leerbaan = open_leerbaan(werkgever)
    foreign = VestigingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Leerbaan.objects.filter(pk=leerbaan.pk).update(vestiging=foreign)
    leerbaan.vestiging = foreign
    with pytest.raises(ValidationError, match="hoort niet bij het leerbedrijf"):
        leerbaan.full_clean()  # what the admin's form runs
