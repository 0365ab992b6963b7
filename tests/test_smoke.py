import pytest

from tests.candidates.factories import CandidateFactory, VoordrachtFactory


@pytest.mark.django_db
def test_factories_build_a_consistent_graph():
    voordracht = VoordrachtFactory(candidate=CandidateFactory(status="voorgedragen"))
    assert voordracht.candidate.organisation == voordracht.candidate.consultant.organisation
    assert voordracht.leerbaan.leerbedrijf.erkenningen.filter(
        kwalificatie=voordracht.leerbaan.kwalificatie
    ).exists()
    assert voordracht.leerbaan.vestiging.leerbedrijf == voordracht.leerbaan.leerbedrijf
