"""A praktijkopleider supervises at most ``capacity`` candidates at once: the load
(``candidates.selectors.praktijkopleider_load``) and its enforcement when a werkgever accepts a
voordracht (the placement), also when two acceptances run at once."""

import pytest
from django.db import connection

from candidates.constants import CandidateStatus, VoordrachtStatus
from candidates.models import Candidate, Voordracht
from candidates.selectors import (
    praktijkopleider_capacity_refusal,
    praktijkopleider_load,
    praktijkopleider_loads,
)
from leerbedrijven.models import Leerbaan
from praktijkleren.workflow import TransitionRefused
from tests.candidates.factories import CandidateFactory
from tests.leerbedrijven.factories import PraktijkopleiderFactory
from tests.workflows.conftest import open_leerbaan, voordracht_in
from tests.workflows.test_races import at_once
from trajecten import services as trajecten_services
from trajecten.models import Enrolment

pytestmark = pytest.mark.django_db

V, C = VoordrachtStatus, CandidateStatus


def _opleider(leerbaan, *, capacity, **fields):
    """A praktijkopleider of ``leerbaan``'s leerbedrijf, named on it."""
    opleider = PraktijkopleiderFactory(
        leerbedrijf=leerbaan.leerbedrijf,
        vestiging=leerbaan.vestiging,
        naam="Petra de Graaf",
        capacity=capacity,
        kwalificaties=[leerbaan.kwalificatie],
        **fields,
    )
    Leerbaan.objects.filter(pk=leerbaan.pk).update(praktijkopleider=opleider)
    leerbaan.refresh_from_db()
    return opleider


def _placed(consultant, leerbaan, candidate_status=C.GEPLAATST):
    """An accepted voordracht on ``leerbaan`` whose candidate is in ``candidate_status``."""
    candidate = CandidateFactory(consultant=consultant)
    voordracht = voordracht_in(V.AANGENOMEN, candidate, leerbaan)
    ended = candidate_status in (C.UITGEVALLEN, C.AFGEMELD)
    Candidate.objects.filter(pk=candidate.pk).update(
        status=candidate_status, end_reason="overig" if ended else ""
    )
    return voordracht


def _invited(consultant, leerbaan):
    return voordracht_in(V.UITGENODIGD, CandidateFactory(consultant=consultant), leerbaan)


# --- the load ---------------------------------------------------------------------------------


def test_the_load_counts_placed_and_training_candidates_on_the_opleiders_leerbanen(
    consultant, werkgever
):
    leerbaan, other = open_leerbaan(werkgever, places=5), open_leerbaan(werkgever, places=5)
    opleider = _opleider(leerbaan, capacity=5)
    Leerbaan.objects.filter(pk=other.pk).update(praktijkopleider=opleider)
    _placed(consultant, leerbaan, C.GEPLAATST)
    _placed(consultant, other, C.IN_OPLEIDING)
    _placed(consultant, leerbaan, C.AFGEROND)  # finished: frees the place
    _placed(consultant, leerbaan, C.UITGEVALLEN)  # dropped out: frees the place
    _invited(consultant, leerbaan)  # not placed (yet)
    _placed(consultant, open_leerbaan(werkgever))  # another leerbaan without this opleider

    assert praktijkopleider_load(praktijkopleider=opleider) == 2
    assert praktijkopleider_loads(praktijkopleiders=[opleider]) == {opleider.pk: 2}


def test_loads_of_many_opleiders_in_one_query(consultant, werkgever, django_assert_num_queries):
    first, second = open_leerbaan(werkgever, places=3), open_leerbaan(werkgever, places=3)
    a, b = _opleider(first, capacity=3), _opleider(second, capacity=3)
    idle = PraktijkopleiderFactory(leerbedrijf=first.leerbedrijf, vestiging=first.vestiging)
    _placed(consultant, first)
    _placed(consultant, first)
    _placed(consultant, second)

    with django_assert_num_queries(1):
        loads = praktijkopleider_loads(praktijkopleiders=[a, b, idle])

    assert loads == {a.pk: 2, b.pk: 1, idle.pk: 0}


# --- enforcement at placement -----------------------------------------------------------------


def test_accepting_within_capacity_places_the_candidate(consultant, werkgever):
    leerbaan = open_leerbaan(werkgever, places=3)
    opleider = _opleider(leerbaan, capacity=2)
    _placed(consultant, leerbaan)
    voordracht = _invited(consultant, leerbaan)

    trajecten_services.voordracht_accept(voordracht=voordracht, by=werkgever)

    assert Voordracht.objects.get(pk=voordracht.pk).status == V.AANGENOMEN
    assert praktijkopleider_load(praktijkopleider=opleider) == 2


def test_accepting_beyond_capacity_is_refused_with_a_clear_message(consultant, werkgever):
    leerbaan = open_leerbaan(werkgever, places=3)
    _opleider(leerbaan, capacity=2)
    _placed(consultant, leerbaan)
    _placed(consultant, leerbaan, C.IN_OPLEIDING)
    voordracht = _invited(consultant, leerbaan)

    with pytest.raises(TransitionRefused) as refused:
        trajecten_services.voordracht_accept(voordracht=voordracht, by=werkgever)

    assert refused.value.code == "rule"
    assert refused.value.messages == [
        "Praktijkopleider Petra de Graaf begeleidt al 2 van 2 kandidaten: kies eerst een andere "
        "praktijkopleider voor deze leerbaan of verhoog de capaciteit."
    ]
    # Nothing changed: the whole acceptance rolled back.
    voordracht.refresh_from_db()
    leerbaan.refresh_from_db()
    assert voordracht.status == V.UITGENODIGD
    assert voordracht.transitions.filter(transition="accept").count() == 0
    assert Candidate.objects.get(pk=voordracht.candidate_id).status == C.VOORGEDRAGEN
    assert leerbaan.places_taken == 0  # the two placed ones were made by the factory
    assert not Enrolment.objects.filter(voordracht=voordracht).exists()


def test_a_finished_candidate_frees_the_place(consultant, werkgever):
    leerbaan = open_leerbaan(werkgever, places=3)
    _opleider(leerbaan, capacity=1)
    _placed(consultant, leerbaan, C.AFGEROND)
    voordracht = _invited(consultant, leerbaan)

    trajecten_services.voordracht_accept(voordracht=voordracht, by=werkgever)

    assert Voordracht.objects.get(pk=voordracht.pk).status == V.AANGENOMEN


def test_the_capacity_spans_all_leerbanen_of_the_opleider(consultant, werkgever):
    first, second = open_leerbaan(werkgever), open_leerbaan(werkgever)
    opleider = _opleider(first, capacity=1)
    Leerbaan.objects.filter(pk=second.pk).update(praktijkopleider=opleider)
    _placed(consultant, first)
    voordracht = _invited(consultant, second)

    with pytest.raises(TransitionRefused, match="begeleidt al 1 van 1 kandidaten"):
        trajecten_services.voordracht_accept(voordracht=voordracht, by=werkgever)


def test_an_inactive_opleider_takes_no_new_candidates(consultant, werkgever):
    leerbaan = open_leerbaan(werkgever)
    _opleider(leerbaan, capacity=3, is_active=False)
    voordracht = _invited(consultant, leerbaan)

    with pytest.raises(TransitionRefused, match="Petra de Graaf is niet meer actief"):
        trajecten_services.voordracht_accept(voordracht=voordracht, by=werkgever)


def test_a_leerbaan_without_opleider_is_not_limited(consultant, werkgever):
    leerbaan = open_leerbaan(werkgever, places=3)
    _placed(consultant, leerbaan)
    _placed(consultant, leerbaan)
    voordracht = _invited(consultant, leerbaan)

    trajecten_services.voordracht_accept(voordracht=voordracht, by=werkgever)

    assert Voordracht.objects.get(pk=voordracht.pk).status == V.AANGENOMEN


def test_the_state_and_role_refusals_come_before_the_capacity(consultant, werkgever):
    """A full opleider is not named to a consultant, nor for a voordracht not yet invited."""
    leerbaan = open_leerbaan(werkgever, places=3)
    _opleider(leerbaan, capacity=1)
    _placed(consultant, leerbaan)
    invited = _invited(consultant, leerbaan)
    proposed = voordracht_in(V.VOORGEDRAGEN, CandidateFactory(consultant=consultant), leerbaan)

    with pytest.raises(TransitionRefused) as by_consultant:
        trajecten_services.voordracht_accept(voordracht=invited, by=consultant)
    with pytest.raises(TransitionRefused) as not_invited:
        trajecten_services.voordracht_accept(voordracht=proposed, by=werkgever)

    assert by_consultant.value.code == "role"
    assert not_invited.value.code == "state"
    assert "Petra" not in " ".join(by_consultant.value.messages + not_invited.value.messages)


def test_the_refusal_explains_the_capacity(consultant, werkgever):
    leerbaan = open_leerbaan(werkgever, places=3)
    opleider = _opleider(leerbaan, capacity=2)
    assert praktijkopleider_capacity_refusal(leerbaan=leerbaan) == ""
    _placed(consultant, leerbaan)
    placing = _placed(consultant, leerbaan)
    leerbaan.praktijkopleider = opleider

    assert "2 van 2" in praktijkopleider_capacity_refusal(leerbaan=leerbaan)
    # Leaving out the voordracht being accepted: one of two.
    assert praktijkopleider_capacity_refusal(leerbaan=leerbaan, placing=placing) == ""


def test_the_accept_page_warns_before_the_confirmation(client, consultant, werkgever):
    leerbaan = open_leerbaan(werkgever, places=3)
    _opleider(leerbaan, capacity=1)
    _placed(consultant, leerbaan)
    voordracht = _invited(consultant, leerbaan)
    client.force_login(werkgever)

    response = client.get(
        f"/plaatsingen/{voordracht.pk}/accept/", follow=True, HTTP_HOST="testserver"
    )

    assert "Praktijkopleider Petra de Graaf begeleidt al 1 van 1 kandidaten" in (
        response.content.decode()
    )
    assert response.redirect_chain[0][0] == voordracht.get_absolute_url()


# --- two acceptances at once (PostgreSQL row locks) ------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.parametrize("round_", range(3))
def test_two_acceptances_for_the_last_place_of_an_opleider_at_once(round_, consultant, werkgever):
    """Two leerbanen with free places share one praktijkopleider with room for one more: of
    two acceptances at once exactly one places its candidate."""
    first, second = open_leerbaan(werkgever, places=2), open_leerbaan(werkgever, places=2)
    opleider = _opleider(first, capacity=2)
    Leerbaan.objects.filter(pk=second.pk).update(praktijkopleider=opleider)
    _placed(consultant, first)
    a, b = _invited(consultant, first), _invited(consultant, second)

    results = at_once(
        lambda: trajecten_services.voordracht_accept(voordracht=a, by=werkgever),
        lambda: trajecten_services.voordracht_accept(voordracht=b, by=werkgever),
    )

    refused = [r for r in results if isinstance(r, TransitionRefused)]
    errors = [r for r in results if isinstance(r, Exception) and r not in refused]
    assert not errors, errors
    assert len(refused) == 1
    assert "begeleidt al 2 van 2 kandidaten" in refused[0].messages[0]
    assert praktijkopleider_load(praktijkopleider=opleider) == 2
    statuses = sorted(
        Voordracht.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)
    )
    assert statuses == [V.AANGENOMEN, V.UITGENODIGD]
    assert Enrolment.objects.filter(voordracht__in=[a, b]).count() == 1
