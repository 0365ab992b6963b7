"""Cheap global guards: no pending migrations; every page has one <h1>; every object URL is
refused to a user of another organisation."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from candidates.constants import MatchStatus
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory, EnrolmentFactory, MatchFactory
from tests.leerbedrijven.factories import LeerbaanFactory

pytestmark = pytest.mark.django_db


def test_no_pending_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.fixture
def world():
    """One candidate with a voorgedragen match and an enrolment, and a user of each role."""
    leerbaan = LeerbaanFactory(start_date=dt.date(2027, 3, 1), closing_date=dt.date(2027, 2, 1))
    candidate = CandidateFactory(
        wished_kwalificaties=[leerbaan.kwalificatie], postcode=leerbaan.vestiging.postcode
    )
    match = MatchFactory(candidate=candidate, leerbaan=leerbaan, status=MatchStatus.VOORGEDRAGEN)
    enrolment = EnrolmentFactory(candidate=candidate, leerbaan=leerbaan)
    return {
        "consultant": candidate.consultant,
        "werkgever": UserFactory(organisation=leerbaan.leerbedrijf.organisation),
        "school": UserFactory(organisation=enrolment.instelling.organisation),
        "candidate": candidate,
        "leerbaan": leerbaan,
        "match": match,
    }


def _pages(world):
    return [
        ("consultant", reverse("candidates:candidate_list")),
        ("consultant", reverse("candidates:candidate_create")),
        ("consultant", world["candidate"].get_absolute_url()),
        ("consultant", world["leerbaan"].get_absolute_url()),
        ("consultant", reverse("leerbedrijven:leerbaan_list")),
        ("werkgever", reverse("leerbedrijven:leerbaan_list")),
        ("werkgever", world["leerbaan"].get_absolute_url()),
        ("school", reverse("candidates:enrolment_list")),
    ]


def test_every_page_renders_with_exactly_one_h1(client, world):
    for role, url in _pages(world):
        client.force_login(world[role])
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(re.findall(r"<h1[\s>]", response.content.decode())) == 1, url


def test_every_object_url_is_refused_to_another_organisation(client, world):
    strangers = {
        "consultant": UserFactory(),
        "werkgever": UserFactory(organisation=OrganisationFactory(werkgever=True)),
    }
    for role, url in _pages(world):
        if url in (
            reverse("candidates:candidate_list"),
            reverse("candidates:candidate_create"),
            reverse("leerbedrijven:leerbaan_list"),
            reverse("candidates:enrolment_list"),
        ):
            continue  # lists are scoped, tested per app
        client.force_login(strangers[role])
        response = client.get(url)
        if url == world["leerbaan"].get_absolute_url() and role == "consultant":
            # Open leerbanen are published to every consultant, but not the other
            # organisation's candidates or voordrachten.
            assert escape(world["candidate"].last_name) not in response.content.decode()
            continue
        assert response.status_code in (403, 404), (role, url)
    client.force_login(strangers["werkgever"])
    response = client.post(
        reverse("candidates:match_status", args=[world["match"].pk]), {"status": "uitgenodigd"}
    )
    assert response.status_code == 404


def test_the_bsn_never_reaches_an_employer_page(client, world):
    world["candidate"].bsn = "111222333"
    world["candidate"].save()
    client.force_login(world["werkgever"])
    for role, url in _pages(world):
        if role == "werkgever":
            assert "111222333" not in client.get(url).content.decode(), url
