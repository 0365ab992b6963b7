import pytest

from tests.candidates.factories import CandidateFactory, MatchFactory


@pytest.mark.django_db
def test_factories_build_a_consistent_graph():
    match = MatchFactory(candidate=CandidateFactory())
    assert match.candidate.organisation == match.candidate.consultant.organisation
    assert match.leerbaan.leerbedrijf.erkenningen.filter(
        kwalificatie=match.leerbaan.kwalificatie
    ).exists()
