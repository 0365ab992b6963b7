"""The consultants' search of the opleidingsaanbod: nearest first, next start moment, BBL only,
within reach, the no-results message, and who may use it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from opleidingen.constants import Leerweg
from opleidingen.models import StartMoment
from opleidingen.selectors import aanbod_near
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.geo.factories import PostcodeFactory
from tests.opleidingen.factories import (
    KwalificatieFactory,
    MboInstellingFactory,
    MboLocatieFactory,
    OpleidingsaanbodFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("opleidingen:aanbod_search")
TODAY = dt.date(2026, 3, 2)


def offer(kwalificatie, naam, brin, points, leerweg=Leerweg.BBL, starts=()):
    """Aanbod of a new instelling ``naam`` at locations at ``points`` (lat, lon)."""
    instelling = MboInstellingFactory(brin=brin, naam=naam)
    aanbod = OpleidingsaanbodFactory(
        instelling=instelling, kwalificatie=kwalificatie, leerweg=leerweg
    )
    for i, (lat, lon) in enumerate(points):
        aanbod.locaties.add(
            MboLocatieFactory(
                instelling=instelling,
                brinvest=f"{brin}{i:02d}",
                naam=f"{naam} locatie {i}",
                straat=f"Schoolstraat {i + 1}",
                lat=lat,
                lon=lon,
            )
        )
    for date, capacity in starts:
        StartMoment.objects.create(aanbod=aanbod, start_date=date, capacity=capacity)
    return aanbod


@pytest.fixture
def kwalificatie():
    return KwalificatieFactory(crebo="25655", naam="Helpende zorg en welzijn")


def test_nearest_location_first_with_its_distance_and_next_start(kwalificatie):
    # Utrecht is 52.09, 5.12; Zeist ~9 km east; Amersfoort ~21 km; Groningen far away.
    far = offer(kwalificatie, "ROC Ver", "25AA", [(52.156, 5.389)])
    near = offer(
        kwalificatie,
        "ROC Dichtbij",
        "25BB",
        [(52.156, 5.389), (52.089, 5.233)],  # its Zeist location is the nearer one
        starts=[(dt.date(2026, 2, 1), 10), (dt.date(2026, 9, 1), 12), (dt.date(2027, 2, 1), 8)],
    )
    offer(kwalificatie, "ROC Groningen", "25CC", [(53.22, 6.57)])

    found = aanbod_near(kwalificatie=kwalificatie, lat=52.09, lon=5.12, on_date=TODAY)

    assert [f.aanbod for f in found] == [near, far]
    assert found[0].locatie.brinvest == "25BB01"
    assert 7 < found[0].km < 9
    assert found[0].next_start.start_date == dt.date(2026, 9, 1)
    assert found[0].next_start.capacity == 12
    assert found[1].next_start is None


def test_bol_only_aanbod_and_other_kwalificaties_are_not_found(kwalificatie):
    offer(kwalificatie, "ROC BOL", "25AA", [(52.09, 5.12)], leerweg=Leerweg.BOL)
    offer(KwalificatieFactory(), "ROC Anders", "25BB", [(52.09, 5.12)])

    assert aanbod_near(kwalificatie=kwalificatie, lat=52.09, lon=5.12, on_date=TODAY) == []


def test_the_page_shows_results_for_a_postcode_and_a_name(client, kwalificatie):
    PostcodeFactory(pc4="3511", lat=52.09, lon=5.12)
    today = timezone.localdate()
    offer(
        kwalificatie,
        "ROC Dichtbij",
        "25BB",
        [(52.089, 5.233)],
        starts=[(today + dt.timedelta(days=30), 7)],
    )
    client.force_login(UserFactory())

    html = client.get(
        URL, {"postcode": " 3511  ab", "kwalificatie": "helpende zorg"}
    ).content.decode()

    assert "ROC Dichtbij" in html
    assert "Schoolstraat 1" in html
    assert "7 plaatsen" in html
    assert "7,7 km" in html or "7.7 km" in html


def test_the_page_says_when_nothing_is_found(client, kwalificatie):
    PostcodeFactory(pc4="3511", lat=52.09, lon=5.12)
    offer(kwalificatie, "ROC BOL", "25AA", [(52.09, 5.12)], leerweg=Leerweg.BOL)
    client.force_login(UserFactory())

    html = client.get(URL, {"postcode": "3511", "kwalificatie": "25655"}).content.decode()

    assert "Geen mbo-instelling biedt deze kwalificatie in de BBL aan" in html
    assert "ROC BOL" not in html


def test_bad_input_is_explained(client, kwalificatie):
    KwalificatieFactory(naam="Helpende sport")
    client.force_login(UserFactory())

    html = client.get(URL, {"postcode": "12", "kwalificatie": "helpende"}).content.decode()

    assert "Vul een postcode in zoals 3511 of 3511 AB." in html
    assert "Meer kwalificaties passen bij deze naam" in html


@pytest.mark.parametrize("kind", ["werkgever", "school"])
def test_only_consultants_may_search(client, kind):
    client.force_login(UserFactory(organisation=OrganisationFactory(**{kind: True})))

    assert client.get(URL).status_code == 403


def test_consultants_have_it_in_their_menu(client):
    client.force_login(UserFactory())

    assert f'href="{URL}"' in client.get(URL).content.decode()
