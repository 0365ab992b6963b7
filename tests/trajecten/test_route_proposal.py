"""The route proposal (``trajecten.routes``): worked out per werkproces, never guessed, and shown
on the enrolment page to the school and the consultant only."""

import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from opleidingen.constants import KerntaakDeel, Route
from tests.accounts.factories import UserFactory
from tests.candidates.factories import CandidateFactory
from tests.leerbedrijven.factories import LeerbaanFactory
from tests.opleidingen.factories import (
    CertificaatFactory,
    KerntaakFactory,
    KwalificatieFactory,
    WerkprocesFactory,
)
from tests.trajecten.factories import EnrolmentFactory
from trajecten.routes import route_proposal

pytestmark = pytest.mark.django_db


@dataclasses.dataclass
class Kwal:
    """A kwalificatie with a basisdeel kerntaak B1-K1 (W1, W2) and a profiel kerntaak P1-K1 (W1,
    W2): four werkprocessen."""

    kwalificatie: object
    b1: object
    p1: object
    b1w1: object
    b1w2: object
    p1w1: object
    p1w2: object

    @property
    def all(self):
        return [self.b1w1, self.b1w2, self.p1w1, self.p1w2]


def make_kwalificatie(**fields):
    kwalificatie = KwalificatieFactory(**fields)
    b1 = KerntaakFactory(dossier=kwalificatie.dossier, code="B1-K1", titel="Basistaak")
    p1 = KerntaakFactory(
        dossier=kwalificatie.dossier,
        deel=KerntaakDeel.PROFIEL,
        kwalificatie=kwalificatie,
        code="P1-K1",
        titel="Profieltaak",
    )

    def werkproces(kerntaak, n):
        return WerkprocesFactory(kerntaak=kerntaak, code=f"{kerntaak.code}-W{n}", titel=f"Doen {n}")

    return Kwal(
        kwalificatie,
        b1,
        p1,
        werkproces(b1, 1),
        werkproces(b1, 2),
        werkproces(p1, 1),
        werkproces(p1, 2),
    )


@pytest.fixture
def kwal():
    return make_kwalificatie()


def leerbaan_teaching(kwal, *werkprocessen):
    leerbaan = LeerbaanFactory(kwalificatie=kwal.kwalificatie)
    leerbaan.werkprocessen.set(werkprocessen)
    return leerbaan


def candidate_mastering(*werkprocessen, route=Route.DIPLOMA):
    candidate = CandidateFactory(route=route)
    candidate.experienced_werkprocessen.set(werkprocessen)
    return candidate


def test_unknown_werkprocessen_propose_the_wished_route_and_say_the_portal_does_not_guess():
    kwalificatie = KwalificatieFactory(naam="Onbekend werk")
    candidate = candidate_mastering(route=Route.CERTIFICAAT)
    proposal = route_proposal(
        candidate=candidate,
        leerbaan=LeerbaanFactory(kwalificatie=kwalificatie),
        kwalificatie=kwalificatie,
    )
    assert proposal.known is False
    assert proposal.route == Route.CERTIFICAAT
    assert proposal.kwalificatie_werkprocessen == []
    assert proposal.missing_for_diploma == []
    assert "Van Onbekend werk zijn de werkprocessen niet bekend" in proposal.reasons[0]
    assert "gokt niet" in proposal.reasons[0]
    assert "mbo-certificaat" in proposal.reasons[1]


def test_diploma_when_leerbaan_and_experience_cover_the_whole_kwalificatie(kwal):
    leerbaan = leerbaan_teaching(kwal, kwal.b1w1, kwal.b1w2, kwal.p1w1)
    candidate = candidate_mastering(kwal.p1w2)
    proposal = route_proposal(
        candidate=candidate, leerbaan=leerbaan, kwalificatie=kwal.kwalificatie
    )
    assert proposal.known
    assert proposal.route == Route.DIPLOMA
    assert proposal.missing_for_diploma == []
    assert proposal.experience_covers == [kwal.p1w2]
    assert proposal.vrijstelling_candidates == [kwal.p1w2]
    assert proposal.kwalificatie_werkprocessen == kwal.all
    text = " ".join(proposal.reasons)
    assert "de leerbaan leert er 3, de kandidaat beheerst er al 1" in text
    assert "voorgesteld is het mbo-diploma" in text
    assert "P1-K1-W2" in text
    assert "vrijstelling" in text


def test_experience_covering_part_leaves_the_rest_missing_for_the_diploma(kwal):
    other = make_kwalificatie()
    leerbaan = leerbaan_teaching(kwal, kwal.b1w1)
    # The candidate masters two of this kwalificatie's werkprocessen and one of another's.
    candidate = candidate_mastering(kwal.b1w2, kwal.p1w1, other.p1w1)
    proposal = route_proposal(
        candidate=candidate, leerbaan=leerbaan, kwalificatie=kwal.kwalificatie
    )
    assert proposal.experience_covers == [kwal.b1w2, kwal.p1w1]
    assert proposal.missing_for_diploma == [kwal.p1w2]
    assert proposal.route == Route.PRAKTIJKVERKLARING
    text = " ".join(proposal.reasons)
    assert (
        "De kandidaat wil een diploma, maar voor het hele diploma ontbreekt nog 1 werkproces"
        in text
    )
    assert "(P1-K1-W2)" in text
    assert "praktijkverklaring van het werkproces dat de leerbaan leert (B1-K1-W1)" in text


def test_a_leerbaan_teaching_only_part_gives_a_praktijkverklaring_of_what_it_teaches(kwal):
    other = make_kwalificatie()
    leerbaan = leerbaan_teaching(kwal, kwal.p1w1, kwal.p1w2, other.b1w1)
    candidate = candidate_mastering(route=Route.PRAKTIJKVERKLARING)
    proposal = route_proposal(
        candidate=candidate, leerbaan=leerbaan, kwalificatie=kwal.kwalificatie
    )
    assert proposal.route == Route.PRAKTIJKVERKLARING
    assert set(proposal.leerbaan_covers) == {kwal.p1w1, kwal.p1w2, other.b1w1}
    assert proposal.taught_elsewhere == [other.b1w1]
    assert proposal.missing_for_diploma == [kwal.b1w1, kwal.b1w2]
    assert proposal.experience_covers == []
    assert proposal.vrijstelling_candidates == []
    rows = {row.werkproces: (row.by_leerbaan, row.by_experience) for row in proposal.rows}
    assert rows == {
        kwal.b1w1: (False, False),
        kwal.b1w2: (False, False),
        kwal.p1w1: (True, False),
        kwal.p1w2: (True, False),
    }
    text = " ".join(proposal.reasons)
    assert "Voor het hele diploma ontbreken 2 werkprocessen (B1-K1-W1, B1-K1-W2)" in text


def test_a_certificate_fully_covered_is_proposed_with_its_parts_of_kerntaken_and_werkprocessen(
    kwal,
):
    # The certificate: kerntaak B1-K1 (two werkprocessen) plus werkproces P1-K1-W1.
    covered = CertificaatFactory(
        naam="Basis en een beetje",
        kwalificaties=[kwal.kwalificatie],
        kerntaken=[kwal.b1],
        werkprocessen=[kwal.p1w1],
    )
    not_covered = CertificaatFactory(
        naam="Het profiel", kwalificaties=[kwal.kwalificatie], werkprocessen=[kwal.p1w1, kwal.p1w2]
    )
    keuzedeel = CertificaatFactory(
        naam="Keuzedeel", kwalificaties=[kwal.kwalificatie], keuzedeel_code="K0123"
    )
    leerbaan = leerbaan_teaching(kwal, kwal.b1w1, kwal.p1w1)
    candidate = candidate_mastering(kwal.b1w2)
    proposal = route_proposal(
        candidate=candidate, leerbaan=leerbaan, kwalificatie=kwal.kwalificatie
    )
    assert proposal.route == Route.CERTIFICAAT
    assert proposal.certificaat == covered
    by_certificaat = {c.certificaat: c for c in proposal.certificaten}
    assert by_certificaat[covered].werkprocessen == [kwal.b1w1, kwal.b1w2, kwal.p1w1]
    assert by_certificaat[covered].complete
    assert by_certificaat[not_covered].covered == [kwal.p1w1]
    assert by_certificaat[not_covered].missing == [kwal.p1w2]
    assert by_certificaat[keuzedeel].werkprocessen == []
    assert not by_certificaat[keuzedeel].complete
    text = " ".join(proposal.reasons)
    assert "Alle 3 werkprocessen van het mbo-certificaat Basis en een beetje" in text
    assert "maar voor het hele diploma ontbreekt nog 1 werkproces (P1-K1-W2)" in text


def test_a_covered_certificate_for_a_candidate_wishing_a_praktijkverklaring_says_so(kwal):
    CertificaatFactory(naam="Basis", kwalificaties=[kwal.kwalificatie], kerntaken=[kwal.b1])
    leerbaan = leerbaan_teaching(kwal, kwal.b1w1, kwal.b1w2)
    candidate = candidate_mastering(route=Route.PRAKTIJKVERKLARING)
    proposal = route_proposal(
        candidate=candidate, leerbaan=leerbaan, kwalificatie=kwal.kwalificatie
    )
    assert proposal.route == Route.CERTIFICAAT
    assert "De kandidaat wenste een praktijkverklaring" in " ".join(proposal.reasons)


def test_without_a_covered_certificate_the_nearest_one_says_what_is_missing(kwal):
    CertificaatFactory(naam="Profiel", kwalificaties=[kwal.kwalificatie], kerntaken=[kwal.p1])
    leerbaan = leerbaan_teaching(kwal, kwal.p1w1)
    candidate = candidate_mastering(route=Route.CERTIFICAAT)
    proposal = route_proposal(
        candidate=candidate, leerbaan=leerbaan, kwalificatie=kwal.kwalificatie
    )
    assert proposal.route == Route.PRAKTIJKVERKLARING
    text = " ".join(proposal.reasons)
    assert (
        "Voor het mbo-certificaat Profiel ontbreekt nog 1 van de 2 werkprocessen (P1-K1-W2)" in text
    )


def test_a_diploma_wish_with_everything_covered_but_no_leerbaan_is_not_a_diploma(kwal):
    proposal = route_proposal(
        candidate=candidate_mastering(kwal.b1w1), leerbaan=None, kwalificatie=kwal.kwalificatie
    )
    assert proposal.route == Route.PRAKTIJKVERKLARING
    assert proposal.leerbaan_covers == []
    assert "de leerbaan noemt nog geen werkprocessen" in " ".join(proposal.reasons)


def test_werkprocessen_without_code_are_named_by_title():
    kwalificatie = KwalificatieFactory()
    kerntaak = KerntaakFactory(dossier=kwalificatie.dossier, code="", titel="Zorgen", position=1)
    first = WerkprocesFactory(kerntaak=kerntaak, code="", titel="Wassen", position=1)
    second = WerkprocesFactory(kerntaak=kerntaak, code="", titel="Aankleden", position=2)
    leerbaan = LeerbaanFactory(kwalificatie=kwalificatie)
    leerbaan.werkprocessen.set([first])
    proposal = route_proposal(
        candidate=candidate_mastering(), leerbaan=leerbaan, kwalificatie=kwalificatie
    )
    assert proposal.known
    assert proposal.kwalificatie_werkprocessen == [first, second]
    assert "(Aankleden)" in " ".join(proposal.reasons)


# --- on the enrolment page -------------------------------------------------------------------


def enrolment_for(kwal, **candidate_fields):
    leerbaan = leerbaan_teaching(kwal, kwal.b1w1, kwal.b1w2, kwal.p1w1)
    candidate = CandidateFactory(status="geplaatst", **candidate_fields)
    candidate.experienced_werkprocessen.set([kwal.p1w2])
    return EnrolmentFactory(candidate=candidate, leerbaan=leerbaan, kwalificatie=kwal.kwalificatie)


def test_the_school_and_the_consultant_see_the_proposal_with_its_table(client, kwal):
    enrolment = enrolment_for(kwal)
    CertificaatFactory(naam="Basisdeel", kwalificaties=[kwal.kwalificatie], kerntaken=[kwal.b1])
    for user in (
        UserFactory(organisation=enrolment.instelling.organisation),
        enrolment.candidate.consultant,
    ):
        client.force_login(user)
        html = client.get(enrolment.get_absolute_url()).content.decode()
        assert "Voorgestelde route" in html
        assert "<strong>mbo-diploma</strong>" in html
        assert "Leerbaan leert het" in html
        assert "Kandidaat beheerst het" in html
        assert "P1-K1-W2 Doen 2" in html
        assert "Basisdeel" in html
        assert "2 van 2" in html


def test_no_werkgever_sees_the_proposal(client, kwal):
    enrolment = enrolment_for(kwal)
    client.force_login(UserFactory(organisation=enrolment.leerbaan.leerbedrijf.organisation))
    response = client.get(enrolment.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Voorgestelde route" not in html
    assert "Kandidaat beheerst het" not in html
    assert escape("P1-K1-W2") not in html


def test_the_proposal_runs_as_many_queries_for_many_werkprocessen_and_certificates(client):
    counts = []
    for size in (1, 6):
        kwal = make_kwalificatie()
        enrolment = enrolment_for(kwal)
        for n in range(size):
            kerntaak = KerntaakFactory(dossier=kwal.kwalificatie.dossier, code=f"B{n + 2}-K1")
            werkprocessen = [
                WerkprocesFactory(kerntaak=kerntaak, code=f"B{n + 2}-K1-W{i}") for i in (1, 2)
            ]
            enrolment.leerbaan.werkprocessen.add(werkprocessen[0])
            enrolment.candidate.experienced_werkprocessen.add(werkprocessen[1])
            CertificaatFactory(
                kwalificaties=[kwal.kwalificatie], kerntaken=[kerntaak], werkprocessen=werkprocessen
            )
        client.force_login(UserFactory(organisation=enrolment.instelling.organisation))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(enrolment.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
