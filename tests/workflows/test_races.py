"""Two requests at once, on PostgreSQL: the services lock their rows, so the workflow's rules hold
whichever request wins (one placement per candidate, never more placements than places)."""

import threading

import pytest
from django.db import connection

from candidates.constants import CandidateStatus, VoordrachtStatus
from candidates.models import Candidate, Voordracht
from leerbedrijven.models import Leerbaan
from praktijkleren.workflow import TransitionRefused
from tests.candidates.factories import CandidateFactory
from tests.workflows.conftest import open_leerbaan, voordracht_in
from trajecten import services as trajecten_services
from trajecten.models import Enrolment

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def at_once(*calls, rounds=1):
    """Run ``calls`` in threads that start together; returns each one's result or exception."""
    results: list = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # the test inspects what each thread got
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _outcomes(results):
    refused = [r for r in results if isinstance(r, TransitionRefused)]
    errors = [r for r in results if isinstance(r, Exception) and r not in refused]
    assert not errors, errors
    return len(results) - len(refused), refused


@pytest.mark.parametrize("round_", range(3))
def test_two_werkgevers_accept_the_same_candidate_at_once(round_, consultant, werkgever):
    candidate = CandidateFactory(consultant=consultant)
    first, second = open_leerbaan(werkgever), open_leerbaan(werkgever)
    a = voordracht_in(VoordrachtStatus.UITGENODIGD, candidate, first)
    b = voordracht_in(VoordrachtStatus.UITGENODIGD, candidate, second)

    results = at_once(
        lambda: trajecten_services.voordracht_accept(voordracht=a, by=werkgever),
        lambda: trajecten_services.voordracht_accept(voordracht=b, by=werkgever),
    )

    accepted, refused = _outcomes(results)
    assert accepted == 1
    assert len(refused) == 1
    statuses = sorted(
        Voordracht.objects.filter(candidate=candidate).values_list("status", flat=True)
    )
    assert statuses == [VoordrachtStatus.AANGENOMEN, VoordrachtStatus.ELDERS_GEPLAATST]
    assert Candidate.objects.get(pk=candidate.pk).status == CandidateStatus.GEPLAATST
    assert Enrolment.objects.filter(candidate=candidate).count() == 1
    assert sum(Leerbaan.objects.values_list("places_taken", flat=True)) == 1


@pytest.mark.parametrize("round_", range(3))
def test_two_candidates_for_the_last_place_at_once(round_, consultant, werkgever):
    leerbaan = open_leerbaan(werkgever, places=1)
    people = [CandidateFactory(consultant=consultant) for _ in range(2)]
    voordrachten = [voordracht_in(VoordrachtStatus.UITGENODIGD, p, leerbaan) for p in people]

    results = at_once(
        *(
            (lambda v=v: trajecten_services.voordracht_accept(voordracht=v, by=werkgever))
            for v in voordrachten
        )
    )

    accepted, refused = _outcomes(results)
    assert accepted == 1
    assert len(refused) == 1
    leerbaan.refresh_from_db()
    assert (leerbaan.places_taken, leerbaan.status) == (1, "vervuld")
    statuses = sorted(Voordracht.objects.filter(leerbaan=leerbaan).values_list("status", flat=True))
    assert statuses == [VoordrachtStatus.AANGENOMEN, VoordrachtStatus.VERLOPEN]


def test_a_double_click_places_once(consultant, werkgever):
    candidate = CandidateFactory(consultant=consultant)
    voordracht = voordracht_in(VoordrachtStatus.UITGENODIGD, candidate, open_leerbaan(werkgever))

    results = at_once(
        *(lambda: trajecten_services.voordracht_accept(voordracht=voordracht, by=werkgever),) * 2
    )

    accepted, refused = _outcomes(results)
    assert accepted == 1
    assert refused[0].code == "state"
    assert Enrolment.objects.count() == 1
    assert voordracht.transitions.filter(transition="accept").count() == 1
