"""The school keeps its own opleidingsaanbod in the portal: aanbod and start moments, scoped to
its own instelling."""

import datetime as dt

import pytest
from django.urls import reverse

from opleidingen import services
from opleidingen.models import Opleidingsaanbod, StartMoment
from praktijkleren.workflow import TransitionRefused
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.opleidingen.factories import (
    KwalificatieFactory,
    MboInstellingFactory,
    MboLocatieFactory,
    OpleidingsaanbodFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def school_user():
    return UserFactory(organisation=OrganisationFactory(school=True))


@pytest.fixture
def instelling(school_user):
    instelling = MboInstellingFactory(organisation=school_user.organisation)
    MboLocatieFactory(instelling=instelling)
    return instelling


@pytest.fixture
def other():
    """Another school with its own aanbod and start moment."""
    user = UserFactory(organisation=OrganisationFactory(school=True))
    aanbod = OpleidingsaanbodFactory(
        instelling=MboInstellingFactory(organisation=user.organisation)
    )
    moment = StartMoment.objects.create(aanbod=aanbod, start_date=dt.date(2030, 9, 1), capacity=3)
    return aanbod, moment


def test_the_school_lists_its_own_offer_only(client, school_user, instelling, other):
    mine = OpleidingsaanbodFactory(instelling=instelling)
    mine.locaties.set(instelling.locaties.all())
    StartMoment.objects.create(
        aanbod=mine, start_date=dt.date(2030, 9, 1), capacity=20, places_taken=8
    )
    client.force_login(school_user)
    page = client.get(reverse("opleidingen:aanbod_list")).content.decode()
    assert mine.kwalificatie.naam in page
    assert "8 van 20 bezet" in page
    assert other[0].kwalificatie.naam not in page
    assert reverse("opleidingen:aanbod_list") in page  # in the school's navigation


def test_the_school_adds_an_aanbod_at_its_own_locations(client, school_user, instelling):
    kwalificatie = KwalificatieFactory()
    locatie = instelling.locaties.get()
    client.force_login(school_user)
    response = client.post(
        reverse("opleidingen:aanbod_create"),
        {"kwalificatie": kwalificatie.pk, "leerweg": "BBL", "locaties": [locatie.pk]},
    )
    assert response.status_code == 302
    aanbod = Opleidingsaanbod.objects.get(instelling=instelling)
    assert (aanbod.kwalificatie, aanbod.leerweg, aanbod.is_demo) == (kwalificatie, "BBL", False)
    assert list(aanbod.locaties.all()) == [locatie]


def test_a_location_of_another_school_or_a_missing_leerweg_is_refused(
    client, school_user, instelling
):
    foreign = MboLocatieFactory()
    bbl_only = KwalificatieFactory(bol=False)
    client.force_login(school_user)
    url = reverse("opleidingen:aanbod_create")
    response = client.post(
        url, {"kwalificatie": bbl_only.pk, "leerweg": "BBL", "locaties": [foreign.pk]}
    )
    assert "locaties" in response.context["form"].errors
    response = client.post(url, {"kwalificatie": bbl_only.pk, "leerweg": "BOL"})
    assert "leerweg" in response.context["form"].errors
    with pytest.raises(TransitionRefused):
        services.aanbod_save(
            by=school_user, kwalificatie=bbl_only, leerweg="BBL", locaties=[foreign]
        )
    assert not Opleidingsaanbod.objects.filter(instelling=instelling).exists()


def test_the_same_offer_twice_is_refused_at_the_field(client, school_user, instelling):
    aanbod = OpleidingsaanbodFactory(instelling=instelling)
    client.force_login(school_user)
    response = client.post(
        reverse("opleidingen:aanbod_create"),
        {"kwalificatie": aanbod.kwalificatie.pk, "leerweg": "BBL"},
    )
    assert "kwalificatie" in response.context["form"].errors


def test_start_moments_are_added_changed_and_deleted(client, school_user, instelling):
    aanbod = OpleidingsaanbodFactory(instelling=instelling)
    client.force_login(school_user)
    client.post(
        reverse("opleidingen:startmoment_create", args=[aanbod.pk]),
        {"start_date": "2030-09-01", "capacity": "12"},
    )
    moment = aanbod.startmomenten.get()
    assert (moment.start_date, moment.capacity) == (dt.date(2030, 9, 1), 12)
    client.post(
        reverse("opleidingen:startmoment_edit", args=[moment.pk]),
        {"start_date": "2030-09-01", "capacity": "15"},
    )
    assert StartMoment.objects.get(pk=moment.pk).capacity == 15
    client.post(reverse("opleidingen:startmoment_delete", args=[moment.pk]))
    assert not StartMoment.objects.filter(pk=moment.pk).exists()


@pytest.mark.parametrize("start_date", ["2020-01-01", "2999-04-01"])
def test_a_start_moment_far_back_or_far_ahead_is_refused(
    client, school_user, instelling, start_date
):
    aanbod = OpleidingsaanbodFactory(instelling=instelling)
    client.force_login(school_user)
    response = client.post(
        reverse("opleidingen:startmoment_create", args=[aanbod.pk]),
        {"start_date": start_date, "capacity": "12"},
    )
    assert response.status_code == 200
    assert "Kies een datum tussen" in response.context["form"].errors["start_date"][0]
    assert not aanbod.startmomenten.exists()


def test_capacity_below_the_places_taken_and_deleting_a_taken_moment_are_refused(
    client, school_user, instelling
):
    aanbod = OpleidingsaanbodFactory(instelling=instelling)
    moment = StartMoment.objects.create(
        aanbod=aanbod, start_date=dt.date(2030, 9, 1), capacity=10, places_taken=4
    )
    client.force_login(school_user)
    response = client.post(
        reverse("opleidingen:startmoment_edit", args=[moment.pk]),
        {"start_date": "2030-09-01", "capacity": "3"},
    )
    assert "capacity" in response.context["form"].errors
    client.post(reverse("opleidingen:startmoment_delete", args=[moment.pk]))
    moment.refresh_from_db()
    assert (moment.capacity, moment.places_taken) == (10, 4)


def test_another_schools_offer_is_a_404(client, school_user, instelling, other):
    aanbod, moment = other
    client.force_login(school_user)
    for name, pk in [
        ("opleidingen:aanbod_edit", aanbod.pk),
        ("opleidingen:startmoment_create", aanbod.pk),
        ("opleidingen:startmoment_edit", moment.pk),
        ("opleidingen:startmoment_delete", moment.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404
        assert client.post(reverse(name, args=[pk]), {"capacity": "1"}).status_code == 404
    assert StartMoment.objects.filter(pk=moment.pk).exists()
    with pytest.raises(TransitionRefused) as refused:
        services.startmoment_delete(by=school_user, startmoment=moment)
    assert refused.value.code == "role"


def test_a_consultant_may_not_keep_an_offer(client):
    client.force_login(UserFactory())
    assert client.get(reverse("opleidingen:aanbod_list")).status_code == 403
