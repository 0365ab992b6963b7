import datetime as dt

import pytest

from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.selectors import (
    erkenning_valid_on,
    leerbanen_open,
    leerbanen_owned_by,
    leerbanen_visible_to,
    leerbanen_with_facts,
)
from opleidingen.constants import Leerweg
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.leerbedrijven.factories import ErkenningFactory, LeerbaanFactory, LeerbedrijfFactory
from tests.opleidingen.factories import KwalificatieFactory

pytestmark = pytest.mark.django_db

ON = dt.date(2027, 1, 10)


def test_places_left_is_places_minus_places_taken():
    leerbaan = LeerbaanFactory(places=3, places_taken=1)
    assert leerbaan.places_left == 2


def test_open_leerbanen():
    kept = LeerbaanFactory()
    LeerbaanFactory(status=LeerbaanStatus.CONCEPT)
    LeerbaanFactory(status=LeerbaanStatus.GESLOTEN)
    LeerbaanFactory(status=LeerbaanStatus.VERVULD, places=1, places_taken=1)
    LeerbaanFactory(status=LeerbaanStatus.VERLOPEN)
    LeerbaanFactory(closing_date=ON - dt.timedelta(days=1))
    LeerbaanFactory(places=1, places_taken=1)
    closes_today = LeerbaanFactory(closing_date=ON)
    assert set(leerbanen_open(on_date=ON)) == {kept, closes_today}


@pytest.mark.parametrize(
    ("geldig_van", "geldig_tot", "leerweg", "valid"),
    [
        (dt.date(2026, 1, 1), None, Leerweg.BBL, True),
        (dt.date(2026, 1, 1), dt.date(2027, 1, 10), Leerweg.BBL, True),
        (dt.date(2027, 1, 10), dt.date(2027, 1, 10), Leerweg.BBL, True),
        (dt.date(2026, 1, 1), dt.date(2027, 1, 9), Leerweg.BBL, False),
        (dt.date(2027, 1, 11), None, Leerweg.BBL, False),
        (dt.date(2026, 1, 1), None, Leerweg.BOL, False),
    ],
)
def test_erkenning_valid_on(geldig_van, geldig_tot, leerweg, valid):
    erkenning = ErkenningFactory(geldig_van=geldig_van, geldig_tot=geldig_tot, leerweg=leerweg)
    found = erkenning_valid_on(
        leerbedrijf=erkenning.leerbedrijf, kwalificatie=erkenning.kwalificatie, on_date=ON
    )
    assert (found == erkenning) is valid
    assert (found is not None) is valid


def test_erkenning_valid_on_other_kwalificatie_is_none():
    erkenning = ErkenningFactory()
    assert (
        erkenning_valid_on(
            leerbedrijf=erkenning.leerbedrijf, kwalificatie=KwalificatieFactory(), on_date=ON
        )
        is None
    )


def test_facts_erkend_on_the_start_date_and_its_end():
    leerbaan = LeerbaanFactory(erkend=False, start_date=dt.date(2027, 2, 1))
    facts = leerbanen_with_facts().get(pk=leerbaan.pk)
    assert facts.erkend is False
    ErkenningFactory(
        leerbedrijf=leerbaan.leerbedrijf,
        kwalificatie=leerbaan.kwalificatie,
        geldig_van=dt.date(2020, 1, 1),
        geldig_tot=dt.date(2027, 1, 31),
    )
    assert leerbanen_with_facts().get(pk=leerbaan.pk).erkend is False
    ErkenningFactory(
        leerbedrijf=leerbaan.leerbedrijf,
        kwalificatie=leerbaan.kwalificatie,
        geldig_van=dt.date(2027, 1, 1),
        geldig_tot=dt.date(2029, 8, 1),
    )
    facts = leerbanen_with_facts().get(pk=leerbaan.pk)
    assert facts.erkend is True
    assert facts.erkend_tot == dt.date(2029, 8, 1)


def test_visible_to_werkgever_consultant_and_others():
    werkgever_org = OrganisationFactory(werkgever=True)
    leerbedrijf = LeerbedrijfFactory(organisation=werkgever_org)
    own_open = LeerbaanFactory(leerbedrijf=leerbedrijf)
    own_concept = LeerbaanFactory(leerbedrijf=leerbedrijf, status=LeerbaanStatus.CONCEPT)
    other_open = LeerbaanFactory(closing_date=dt.date(2099, 1, 1), start_date=dt.date(2099, 2, 1))
    other_concept = LeerbaanFactory(
        status=LeerbaanStatus.CONCEPT,
        closing_date=dt.date(2099, 1, 1),
        start_date=dt.date(2099, 2, 1),
    )

    werkgever = UserFactory(organisation=werkgever_org)
    assert set(leerbanen_visible_to(user=werkgever)) == {own_open, own_concept}

    consultant = UserFactory()
    visible = set(leerbanen_visible_to(user=consultant))
    assert other_open in visible
    assert other_concept not in visible
    assert own_concept not in visible

    school = UserFactory(organisation=OrganisationFactory(school=True))
    assert not leerbanen_visible_to(user=school).exists()
    assert not leerbanen_visible_to(user=UserFactory(organisation=None)).exists()
    assert set(leerbanen_owned_by(user=werkgever)) == {own_open, own_concept}
    assert not leerbanen_owned_by(user=consultant).exists()


@pytest.mark.django_db
def test_a_leerbedrijf_with_leerbanen_can_be_deleted_but_not_a_vestiging_in_use():
    from django.db.models import RestrictedError

    from leerbedrijven.models import Leerbaan, Leerbedrijf

    leerbaan = LeerbaanFactory()
    with pytest.raises(RestrictedError):
        leerbaan.vestiging.delete()
    leerbaan.leerbedrijf.delete()
    assert not Leerbaan.objects.filter(pk=leerbaan.pk).exists()
    assert not Leerbedrijf.objects.filter(pk=leerbaan.leerbedrijf_id).exists()
