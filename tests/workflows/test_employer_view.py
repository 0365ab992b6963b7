"""What an employer sees of a candidate follows from the voordracht's state and the candidate's
consent alone (``candidates.selectors.candidate_for_employer``), tested for every state."""

import pytest
from django.urls import reverse

from candidates import services
from candidates.constants import EmployerView, VoordrachtStatus
from candidates.models import Candidate
from candidates.selectors import EMPLOYER_VIEW_BY_STATE, candidate_for_employer
from tests.workflows.conftest import voordracht_in

pytestmark = pytest.mark.django_db

V = VoordrachtStatus
EXPECTED = {
    V.VOORGEDRAGEN: EmployerView.PROFILE,
    V.UITGENODIGD: EmployerView.CONTACT,
    V.AANGENOMEN: EmployerView.CONTACT,
    V.AFGEWEZEN: EmployerView.NAME,
    V.INGETROKKEN: EmployerView.ANONYMOUS,
    V.VERLOPEN: EmployerView.ANONYMOUS,
    V.ELDERS_GEPLAATST: EmployerView.ANONYMOUS,
}
# The fields each view shows (besides the label and the woonplaats, always there).
FIELDS = {
    EmployerView.ANONYMOUS: set(),
    EmployerView.NAME: {"first_name", "last_name", "organisation_name"},
    EmployerView.PROFILE: {
        "first_name",
        "last_name",
        "organisation_name",
        "route_label",
        "hours_per_week",
        "earliest_start_date",
        "work_experience",
        "earlier_education",
    },
}
FIELDS[EmployerView.CONTACT] = FIELDS[EmployerView.PROFILE] | {"email", "phone"}


def test_every_state_has_a_view():
    assert EMPLOYER_VIEW_BY_STATE == EXPECTED


@pytest.fixture
def rich_candidate(candidate):
    Candidate.objects.filter(pk=candidate.pk).update(
        phone="0612345678", work_experience="Tien jaar bakker", earlier_education="vmbo"
    )
    candidate.refresh_from_db()
    return candidate


@pytest.mark.parametrize("consent", [True, False], ids=["consent", "no-consent"])
@pytest.mark.parametrize("state", V.values)
def test_what_the_employer_sees(state, consent, rich_candidate, leerbaan):
    voordracht = voordracht_in(state, rich_candidate, leerbaan)
    if not consent:  # withdrawn consent (the database keeps such a candidate off the search)
        Candidate.objects.filter(pk=rich_candidate.pk).update(
            consent_given_at=None, status="geplaatst"
        )
    candidate = Candidate.objects.select_related("postcode", "organisation").get(
        pk=rich_candidate.pk
    )
    seen = candidate_for_employer(candidate=candidate, voordracht=voordracht)
    view = EXPECTED[state] if consent else EmployerView.ANONYMOUS
    assert seen.view == view
    shown = {name for name, value in vars(seen).items() if value not in (None, "")}
    assert shown - {"view", "label", "woonplaats"} == FIELDS[view]
    assert "111222333" not in repr(seen)  # the BSN, never
    if view == EmployerView.ANONYMOUS:
        assert seen.label == f"Kandidaat uit {candidate.postcode.woonplaats}"
        assert candidate.last_name not in repr(seen)


def test_a_fitting_candidate_nobody_proposed_is_anonymous(rich_candidate):
    seen = candidate_for_employer(candidate=rich_candidate)
    assert seen.view == EmployerView.ANONYMOUS


@pytest.mark.parametrize("state", V.values)
def test_the_employers_pages_show_what_the_selector_allows(
    state, rich_candidate, leerbaan, werkgever, client
):
    voordracht = voordracht_in(state, rich_candidate, leerbaan)
    client.force_login(werkgever)
    view = EXPECTED[state]
    detail = client.get(voordracht.get_absolute_url()).content.decode()
    assert ("0612345678" in detail) is (view == EmployerView.CONTACT)
    assert ("Tien jaar bakker" in detail) is (view in (EmployerView.PROFILE, EmployerView.CONTACT))
    listing = client.get(leerbaan.get_absolute_url()).content.decode()
    assert "0612345678" not in listing
    assert "Tien jaar bakker" not in listing
    for html in (detail, listing):
        assert (rich_candidate.last_name in html) is (view != EmployerView.ANONYMOUS)
        assert "111222333" not in html


def test_a_withdrawn_candidate_stays_anonymous_in_the_history_and_transition_pages(
    candidate, leerbaan, consultant, werkgever, client
):
    """The pages around the view: the history's caption and a transition page's heading named
    the candidate through ``str(voordracht)``, whatever the employer view allowed."""
    voordracht = services.voordracht_make(candidate=candidate, leerbaan=leerbaan, by=consultant)
    services.voordracht_withdraw(voordracht=voordracht, by=consultant)
    client.force_login(werkgever)
    pages = [
        voordracht.get_absolute_url(),
        reverse("candidates:voordracht_transition", args=[voordracht.pk, "decline"]),
        reverse("candidates:voordracht_transition", args=[voordracht.pk, "invite"]),
        reverse("trajecten:voordracht_accept", args=[voordracht.pk, "accept"]),
    ]
    for url in pages:  # a transition that cannot run now sends back to the voordracht's page
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert candidate.last_name not in response.content.decode(), url
