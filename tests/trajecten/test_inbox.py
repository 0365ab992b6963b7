"""The school's inbox: the enrolment list with its filters."""

import datetime as dt

import pytest
from django.urls import reverse

from opleidingen.models import StartMoment
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory
from tests.opleidingen.factories import (
    KwalificatieFactory,
    MboInstellingFactory,
    OpleidingsaanbodFactory,
)
from tests.trajecten.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def school_user():
    return UserFactory(organisation=OrganisationFactory(school=True))


@pytest.fixture
def inbox(school_user):
    instelling = MboInstellingFactory(organisation=school_user.organisation)
    zorg, bouw = KwalificatieFactory(naam="Zorg"), KwalificatieFactory(naam="Bouw")
    aanbod = OpleidingsaanbodFactory(instelling=instelling, kwalificatie=zorg)
    september = StartMoment.objects.create(
        aanbod=aanbod, start_date=dt.date(2030, 9, 1), capacity=5
    )

    def enrolment(first_name, kwalificatie, **fields):
        return EnrolmentFactory(
            candidate=CandidateFactory(
                first_name=first_name, last_name="Jansen", status="geplaatst"
            ),
            instelling=instelling,
            kwalificatie=kwalificatie,
            **fields,
        )

    return {
        "anna": enrolment("Anna", zorg, startmoment=september),
        "bram": enrolment("Bram", bouw),
        "cees": enrolment("Cees", zorg, status="geaccepteerd", start_date=dt.date(2030, 2, 1)),
        "elders": EnrolmentFactory(candidate__first_name="Dirk"),
    }


def names(response):
    return sorted(e.candidate.first_name for e in response.context["page"].object_list)


def test_the_inbox_filters_by_status_kwalificatie_start_and_name(client, school_user, inbox):
    client.force_login(school_user)
    url = reverse("trajecten:enrolment_list")
    assert names(client.get(url)) == ["Anna", "Bram", "Cees"]
    assert names(client.get(url, {"status": "aangevraagd"})) == ["Anna", "Bram"]
    zorg = inbox["anna"].kwalificatie_id
    assert names(client.get(url, {"kwalificatie": zorg})) == ["Anna", "Cees"]
    # The proposed start moment counts as the start while the request waits.
    assert names(client.get(url, {"start_from": "2030-08-01", "start_to": "2030-09-30"})) == [
        "Anna"
    ]
    assert names(client.get(url, {"q": "bram jans"})) == ["Bram"]


def test_the_inbox_counts_per_status_and_keeps_filters_across_pages(client, school_user, inbox):
    client.force_login(school_user)
    response = client.get(reverse("trajecten:enrolment_list"), {"status": "aangevraagd"})
    page = response.content.decode()
    assert "Aangevraagd (2)" in page
    assert "Geaccepteerd (1)" in page
    assert "Alle statussen (3)" in page
    assert '<label class="utrecht-form-label" for="id_start_from">' in page
    assert "1 september 2030 (voorgesteld)" in page


def test_a_bad_date_is_an_error_not_a_failure(client, school_user, inbox):
    client.force_login(school_user)
    response = client.get(reverse("trajecten:enrolment_list"), {"start_from": "gisteren"})
    assert response.status_code == 200
    assert "start_from" in response.context["filter"].form.errors


def test_the_filters_stay_on_the_next_page(client, school_user, inbox):
    instelling = inbox["anna"].instelling
    for _ in range(25):
        EnrolmentFactory(
            candidate=CandidateFactory(status="geplaatst"),
            instelling=instelling,
            kwalificatie=inbox["bram"].kwalificatie,
        )
    client.force_login(school_user)
    response = client.get(reverse("trajecten:enrolment_list"), {"status": "aangevraagd"})
    assert len(response.context["page"].object_list) == 25
    assert "?status=aangevraagd&amp;page=2" in response.content.decode()
