"""A small world for the workflow tests: a gemeente consultant with a candidate, a werkgever
with an open leerbaan (dates relative to today, so the tests never age) and a school that offers
its kwalificatie in BBL near the candidate."""

import datetime as dt

import pytest
from django.utils import timezone

from candidates.constants import CandidateStatus, VoordrachtStatus
from leerbedrijven.models import Erkenning
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory, VoordrachtFactory
from tests.geo.factories import PostcodeFactory
from tests.leerbedrijven.factories import LeerbaanFactory
from tests.opleidingen.factories import (
    MboInstellingFactory,
    MboLocatieFactory,
    OpleidingsaanbodFactory,
)


@pytest.fixture
def consultant():
    return UserFactory()


@pytest.fixture
def werkgever():
    return UserFactory(organisation=OrganisationFactory(werkgever=True))


@pytest.fixture
def school_user():
    return UserFactory(organisation=OrganisationFactory(school=True))


@pytest.fixture
def today():
    return timezone.localdate()


def open_leerbaan(werkgever, *, places=2, **fields):
    """A published leerbaan of ``werkgever``'s organisation, closing in 30 days, erkend."""
    today = timezone.localdate()
    leerbaan = LeerbaanFactory(
        leerbedrijf__organisation=werkgever.organisation,
        closing_date=today + dt.timedelta(days=30),
        start_date=today + dt.timedelta(days=60),
        places=places,
        **fields,
    )
    Erkenning.objects.filter(leerbedrijf=leerbaan.leerbedrijf).update(geldig_tot=None)
    return leerbaan


@pytest.fixture
def leerbaan(werkgever):
    return open_leerbaan(werkgever)


@pytest.fixture
def candidate(consultant, leerbaan):
    """An actief candidate of the consultant's gemeente who fits the leerbaan."""
    return CandidateFactory(
        consultant=consultant,
        bsn="111222333",
        wished_kwalificaties=[leerbaan.kwalificatie],
        postcode=PostcodeFactory(lat=52.09, lon=5.12),
    )


@pytest.fixture
def school(school_user, leerbaan):
    """An mbo-instelling 3 km from the candidate that offers the leerbaan's kwalificatie (BBL)."""
    instelling = MboInstellingFactory(organisation=school_user.organisation)
    MboLocatieFactory(instelling=instelling, lat=52.117, lon=5.12)
    OpleidingsaanbodFactory(instelling=instelling, kwalificatie=leerbaan.kwalificatie)
    return instelling


def voordracht_in(status, candidate, leerbaan):
    """A voordracht of ``candidate`` for ``leerbaan`` in ``status``, with the candidate in the
    state that goes with it (voorgedragen for an open one, geplaatst for an accepted one)."""
    candidate_status = {
        VoordrachtStatus.AANGENOMEN: CandidateStatus.GEPLAATST,
        VoordrachtStatus.VOORGEDRAGEN: CandidateStatus.VOORGEDRAGEN,
        VoordrachtStatus.UITGENODIGD: CandidateStatus.VOORGEDRAGEN,
    }.get(status, CandidateStatus.ACTIEF)
    type(candidate).objects.filter(pk=candidate.pk).update(status=candidate_status)
    return VoordrachtFactory(candidate=candidate, leerbaan=leerbaan, status=status)


def interview(**overrides):
    """The arguments of ``voordracht_invite`` besides the voordracht and the user: an interview
    three days from now at a place, with a message."""
    return {
        "interview_at": timezone.now() + dt.timedelta(days=3),
        "interview_place": "Kerkstraat 1, Utrecht",
        "interview_message": "Neem uw identiteitsbewijs mee.",
        **overrides,
    }
