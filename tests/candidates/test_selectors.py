import datetime as dt
import math

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from candidates.models import Candidate
from candidates.selectors import (
    candidates_matching,
    candidates_visible_to,
    leerbanen_matching,
    match_evaluate,
    voordrachten_visible_to,
)
from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.models import Erkenning, Leerbaan
from opleidingen.constants import Leerweg, Route
from praktijkleren.geo.selectors import distance_km
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory, VoordrachtFactory
from tests.geo.factories import PostcodeFactory
from tests.leerbedrijven.factories import LeerbaanFactory, LeerbedrijfFactory
from tests.opleidingen.factories import (
    KwalificatiedossierFactory,
    KwalificatieFactory,
)

pytestmark = pytest.mark.django_db

ON = dt.date(2027, 1, 10)
HOME = (52.09, 5.12)
KM_PER_DEGREE_LAT = math.radians(1) * 6371.0088


def north_of_home(km: float, **kwargs):
    """A PC4 ``km`` km due north of HOME."""
    return PostcodeFactory(lat=HOME[0] + km / KM_PER_DEGREE_LAT, lon=HOME[1], **kwargs)


@pytest.fixture
def pair():
    """A candidate and a leerbaan 10 km away that fit on every hard rule."""
    kwalificatie = KwalificatieFactory(crebo="25491", naam="Verzorgende-IG")
    candidate = CandidateFactory(
        postcode=PostcodeFactory(lat=HOME[0], lon=HOME[1]),
        wished_kwalificaties=[kwalificatie],
        max_travel_km=25,
    )
    leerbaan = LeerbaanFactory(kwalificatie=kwalificatie, vestiging__postcode=north_of_home(10))
    return candidate, leerbaan


def _update(model, pk, **fields):
    model.objects.filter(pk=pk).update(**fields)


def _status(status):
    return lambda c, lb: _update(Leerbaan, lb.pk, status=status)


def _closed(c, lb):
    _update(Leerbaan, lb.pk, closing_date=ON - dt.timedelta(days=1))


def _full(c, lb):
    _update(Leerbaan, lb.pk, places=1, places_taken=1)


def _not_erkend(c, lb):
    Erkenning.objects.filter(leerbedrijf=lb.leerbedrijf).delete()


def _erkenning_ends_before_start(c, lb):
    Erkenning.objects.filter(leerbedrijf=lb.leerbedrijf).update(
        geldig_tot=lb.start_date - dt.timedelta(days=1)
    )


def _erkenning_starts_after_start(c, lb):
    Erkenning.objects.filter(leerbedrijf=lb.leerbedrijf).update(
        geldig_van=lb.start_date + dt.timedelta(days=1), geldig_tot=None
    )


def _erkenning_bol_only(c, lb):
    Erkenning.objects.filter(leerbedrijf=lb.leerbedrijf).update(leerweg=Leerweg.BOL)


def _erkend_for_another_kwalificatie(c, lb):
    Erkenning.objects.filter(leerbedrijf=lb.leerbedrijf).update(kwalificatie=KwalificatieFactory())


def _not_current(c, lb):
    lb.kwalificatie.is_current = False
    lb.kwalificatie.save()


def _route_unsupported(c, lb):
    _update(Candidate, c.pk, route=Route.CERTIFICAAT)


def _too_far(c, lb):
    _update(Candidate, c.pk, max_travel_km=9)


def _not_wished(c, lb):
    c.wished_kwalificaties.set([KwalificatieFactory()])


def _dossier_not_wished(c, lb):
    c.wished_kwalificaties.clear()
    c.wished_dossiers.set([KwalificatiedossierFactory()])


BREAKS = {
    "concept": _status(LeerbaanStatus.CONCEPT),
    "gesloten": _status(LeerbaanStatus.GESLOTEN),
    "vervuld": lambda c, lb: _update(
        Leerbaan, lb.pk, status=LeerbaanStatus.VERVULD, places_taken=lb.places
    ),
    "closing date past": _closed,
    "no places left": _full,
    "no erkenning": _not_erkend,
    "erkenning ends before start": _erkenning_ends_before_start,
    "erkenning starts after start": _erkenning_starts_after_start,
    "erkenning for BOL only": _erkenning_bol_only,
    "erkend for another kwalificatie": _erkend_for_another_kwalificatie,
    "kwalificatie not current": _not_current,
    "route not supported": _route_unsupported,
    "beyond max travel": _too_far,
    "kwalificatie not wished": _not_wished,
    "dossier not wished": _dossier_not_wished,
}


def _fresh(candidate, leerbaan):
    return Candidate.objects.get(pk=candidate.pk), Leerbaan.objects.get(pk=leerbaan.pk)


def test_the_pair_fits(pair):
    candidate, leerbaan = pair
    assert [m.leerbaan for m in leerbanen_matching(candidate=candidate, on_date=ON)] == [leerbaan]
    assert [m.candidate for m in candidates_matching(leerbaan=leerbaan, on_date=ON)] == [candidate]
    assert match_evaluate(candidate=candidate, leerbaan=leerbaan, on_date=ON).score > 0


@pytest.mark.parametrize("rule", list(BREAKS))
def test_each_hard_rule_excludes_exactly_the_pair(pair, rule):
    candidate, leerbaan = pair
    # A second candidate and leerbaan unaffected by the break keep matching each other.
    other_kwalificatie = KwalificatieFactory()
    other_candidate = CandidateFactory(
        postcode=PostcodeFactory(lat=HOME[0], lon=HOME[1]),
        wished_kwalificaties=[other_kwalificatie],
    )
    other_leerbaan = LeerbaanFactory(
        kwalificatie=other_kwalificatie, vestiging__postcode=north_of_home(5)
    )
    BREAKS[rule](candidate, leerbaan)
    candidate, leerbaan = _fresh(candidate, leerbaan)

    assert leerbanen_matching(candidate=candidate, on_date=ON) == []
    assert candidates_matching(leerbaan=leerbaan, on_date=ON) == []
    with pytest.raises(ValidationError):
        match_evaluate(candidate=candidate, leerbaan=leerbaan, on_date=ON)
    assert [m.leerbaan for m in leerbanen_matching(candidate=other_candidate, on_date=ON)] == [
        other_leerbaan
    ]


def test_within_max_travel_boundary(pair):
    candidate, _leerbaan = pair
    kwalificatie = candidate.wished_kwalificaties.get()
    inside = LeerbaanFactory(kwalificatie=kwalificatie, vestiging__postcode=north_of_home(24.9))
    LeerbaanFactory(kwalificatie=kwalificatie, vestiging__postcode=north_of_home(25.2))
    found = {m.leerbaan for m in leerbanen_matching(candidate=candidate, on_date=ON)}
    assert found == {_leerbaan, inside}


def test_wished_dossier_matches_its_kwalificaties():
    dossier = KwalificatiedossierFactory()
    candidate = CandidateFactory(wished_dossiers=[dossier])
    in_dossier = LeerbaanFactory(kwalificatie=KwalificatieFactory(dossier=dossier))
    LeerbaanFactory()  # another dossier
    assert [m.leerbaan for m in leerbanen_matching(candidate=candidate, on_date=ON)] == [in_dossier]


def test_no_wishes_no_matches():
    LeerbaanFactory()
    assert leerbanen_matching(candidate=CandidateFactory(), on_date=ON) == []


def test_reasons_read_in_dutch(pair):
    candidate, _leerbaan = pair
    [match] = leerbanen_matching(candidate=candidate, on_date=ON)
    assert match.reasons == [
        "10 km van huis",
        "Gewenste kwalificatie: 25491 Verzorgende-IG",
        "Erkend voor 25491 tot 1 augustus 2028",
        "32 uur per week (gewenst 32)",
        "Start 1 februari 2027, 1 maand na de vroegste startdatum",
    ]
    assert match.distance_km == pytest.approx(10.0, abs=0.1)


def test_reasons_open_ended_erkenning_dossier_and_early_start():
    dossier = KwalificatiedossierFactory(naam="Zorg")
    wished = KwalificatieFactory(dossier=dossier, niveau=3)
    kwalificatie = KwalificatieFactory(crebo="25480", naam="Helpende", dossier=dossier, niveau=2)
    candidate = CandidateFactory(
        wished_kwalificaties=[wished],
        wished_dossiers=[dossier],
        hours_per_week=24,
        earliest_start_date=dt.date(2027, 2, 20),
    )
    leerbaan = LeerbaanFactory(kwalificatie=kwalificatie, hours_per_week=36)
    Erkenning.objects.filter(leerbedrijf=leerbaan.leerbedrijf).update(geldig_tot=None)
    [match] = leerbanen_matching(candidate=candidate, on_date=ON)
    assert match.reasons == [
        "Minder dan 1 km van huis",
        "In gewenst dossier Zorg: 25480 Helpende",
        "Erkend voor 25480 zonder einddatum",
        "36 uur per week (gewenst 24)",
        "Start 1 februari 2027, 19 dagen vóór de vroegste startdatum",
    ]


def test_wish_fit_order_kwalificatie_over_dossier_niveau_over_dossier():
    dossier = KwalificatiedossierFactory()
    wished = KwalificatieFactory(dossier=dossier, niveau=3)
    same_niveau = KwalificatieFactory(dossier=dossier, niveau=3)
    other_niveau = KwalificatieFactory(dossier=dossier, niveau=4)
    candidate = CandidateFactory(wished_kwalificaties=[wished], wished_dossiers=[dossier])
    for kwalificatie in (other_niveau, wished, same_niveau):
        LeerbaanFactory(kwalificatie=kwalificatie)
    matches = leerbanen_matching(candidate=candidate, on_date=ON)
    assert [m.leerbaan.kwalificatie for m in matches] == [wished, same_niveau, other_niveau]
    assert [m.wish_score for m in matches] == [1.0, 0.8, 0.6]
    assert "op het gewenste niveau 3" in matches[1].reasons[1]


def test_ranking_by_score_then_distance(pair):
    candidate, near = pair  # 10 km, 32 h, starts one month after the earliest date
    kwalificatie = candidate.wished_kwalificaties.get()
    far = LeerbaanFactory(kwalificatie=kwalificatie, vestiging__postcode=north_of_home(20))
    other_hours = LeerbaanFactory(
        kwalificatie=kwalificatie, vestiging__postcode=north_of_home(10), hours_per_week=20
    )
    later = LeerbaanFactory(
        kwalificatie=kwalificatie,
        vestiging__postcode=north_of_home(10),
        start_date=dt.date(2027, 9, 1),
        closing_date=dt.date(2027, 8, 1),
    )
    # 20 m farther: the same score to one decimal, so the distance decides.
    twin = LeerbaanFactory(kwalificatie=kwalificatie, vestiging__postcode=north_of_home(10.02))
    matches = leerbanen_matching(candidate=candidate, on_date=ON)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    by_leerbaan = {m.leerbaan: m for m in matches}
    assert by_leerbaan[near].score == by_leerbaan[twin].score
    order = [m.leerbaan for m in matches]
    assert order.index(near) < order.index(twin)
    assert order.index(near) < order.index(far)
    assert order.index(near) < order.index(other_hours)
    assert order.index(near) < order.index(later)
    assert all(0 <= m.score <= 100 for m in matches)
    assert leerbanen_matching(candidate=candidate, on_date=ON, limit=2) == matches[:2]


def test_start_before_earliest_scores_lower_than_after():
    kwalificatie = KwalificatieFactory()
    candidate = CandidateFactory(
        wished_kwalificaties=[kwalificatie], earliest_start_date=dt.date(2027, 2, 1)
    )
    on_time = LeerbaanFactory(kwalificatie=kwalificatie, start_date=dt.date(2027, 2, 1))
    early = LeerbaanFactory(kwalificatie=kwalificatie, start_date=dt.date(2027, 1, 20))
    late = LeerbaanFactory(
        kwalificatie=kwalificatie, start_date=dt.date(2027, 6, 1), closing_date=dt.date(2027, 5, 1)
    )
    scores = {
        m.leerbaan: m.start_score for m in leerbanen_matching(candidate=candidate, on_date=ON)
    }
    assert scores[on_time] == 1.0
    assert scores[on_time] > scores[late] > scores[early]


def test_forward_costs_a_constant_number_of_queries(django_assert_max_num_queries):
    dossier = KwalificatiedossierFactory()
    kwalificatie = KwalificatieFactory(dossier=dossier)
    candidate = CandidateFactory(wished_kwalificaties=[kwalificatie], wished_dossiers=[dossier])
    for _ in range(15):
        LeerbaanFactory(kwalificatie=KwalificatieFactory(dossier=dossier))
        VoordrachtFactory(leerbaan=LeerbaanFactory(kwalificatie=kwalificatie))
    candidate = Candidate.objects.get(pk=candidate.pk)
    with django_assert_max_num_queries(4):
        matches = leerbanen_matching(candidate=candidate, on_date=ON)
        for match in matches:
            str(match.leerbaan.leerbedrijf), str(match.leerbaan.vestiging.postcode)
    assert len(matches) == 30


def test_reverse_costs_a_constant_number_of_queries(django_assert_max_num_queries):
    kwalificatie = KwalificatieFactory()
    leerbaan = LeerbaanFactory(kwalificatie=kwalificatie, places=20)
    for _ in range(15):
        CandidateFactory(wished_kwalificaties=[kwalificatie])
        CandidateFactory(wished_dossiers=[kwalificatie.dossier])
    leerbaan = Leerbaan.objects.get(pk=leerbaan.pk)
    with django_assert_max_num_queries(4):
        matches = candidates_matching(leerbaan=leerbaan, on_date=ON)
    assert len(matches) == 30


def test_reverse_only_candidates_who_search(pair):
    candidate, leerbaan = pair
    assert [m.candidate for m in candidates_matching(leerbaan=leerbaan, on_date=ON)] == [candidate]
    for status in ("aangemeld", "geplaatst", "afgemeld"):
        consent = None if status == "aangemeld" else candidate.consent_given_at
        _update(
            Candidate, candidate.pk, consent_given_at=consent, status=status, end_reason="overig"
        )
        assert candidates_matching(leerbaan=leerbaan, on_date=ON) == []
        assert (
            candidates_matching(leerbaan=leerbaan, candidates=Candidate.objects.all(), on_date=ON)
            == []
        )


def test_reverse_within_given_candidates(pair):
    candidate, leerbaan = pair
    CandidateFactory(wished_kwalificaties=[leerbaan.kwalificatie])
    found = candidates_matching(
        leerbaan=leerbaan, candidates=Candidate.objects.filter(pk=candidate.pk), on_date=ON
    )
    assert [m.candidate for m in found] == [candidate]
    assert len(candidates_matching(leerbaan=leerbaan, on_date=ON)) == 2


@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    home=st.tuples(st.floats(51.0, 53.3), st.floats(3.5, 7.0)),
    offset=st.tuples(st.floats(-1.2, 1.2), st.floats(-2.0, 2.0)),
    max_km=st.integers(1, 150),
    hours=st.tuples(st.integers(12, 40), st.integers(12, 40)),
    start_shift=st.integers(-120, 400),
    route=st.sampled_from(list(Route)),
    by_dossier=st.booleans(),
)
def test_forward_and_reverse_agree_and_distance_is_exact(
    home, offset, max_km, hours, start_shift, route, by_dossier
):
    kwalificatie = KwalificatieFactory()
    work_lat = min(53.7, max(50.6, home[0] + offset[0]))
    work_lon = min(7.2, max(3.3, home[1] + offset[1]))
    wishes = (
        {"wished_dossiers": [kwalificatie.dossier]}
        if by_dossier
        else {"wished_kwalificaties": [kwalificatie]}
    )
    candidate = CandidateFactory(
        postcode=PostcodeFactory(lat=home[0], lon=home[1]),
        max_travel_km=max_km,
        hours_per_week=hours[0],
        route=route,
        earliest_start_date=dt.date(2027, 2, 1) + dt.timedelta(days=start_shift),
        **wishes,
    )
    leerbaan = LeerbaanFactory(
        kwalificatie=kwalificatie,
        vestiging__postcode=PostcodeFactory(lat=work_lat, lon=work_lon),
        hours_per_week=hours[1],
    )
    forward = [
        m for m in leerbanen_matching(candidate=candidate, on_date=ON) if m.leerbaan == leerbaan
    ]
    reverse = candidates_matching(
        leerbaan=leerbaan, candidates=Candidate.objects.filter(pk=candidate.pk), on_date=ON
    )
    km = distance_km(home[0], home[1], work_lat, work_lon)
    expected = km <= max_km and route in leerbaan.routes()
    assert bool(forward) is expected
    assert bool(reverse) is expected
    if expected:
        [f], [r] = forward, reverse
        assert (f.score, f.distance_km, f.reasons) == (r.score, r.distance_km, r.reasons)
        evaluated = match_evaluate(candidate=candidate, leerbaan=leerbaan, on_date=ON)
        assert evaluated.score == f.score


def test_candidates_visible_to():
    consultant = UserFactory()
    own = CandidateFactory(consultant=consultant)
    colleague_candidate = CandidateFactory(
        consultant=UserFactory(organisation=consultant.organisation)
    )
    CandidateFactory()  # another gemeente
    assert set(candidates_visible_to(user=consultant)) == {own, colleague_candidate}
    werkgever = UserFactory(organisation=OrganisationFactory(werkgever=True))
    assert not candidates_visible_to(user=werkgever).exists()
    school = UserFactory(organisation=OrganisationFactory(school=True))
    assert not candidates_visible_to(user=school).exists()


def test_voordrachten_visible_to():
    werkgever_org = OrganisationFactory(werkgever=True)
    leerbaan = LeerbaanFactory(leerbedrijf=LeerbedrijfFactory(organisation=werkgever_org))
    consultant = UserFactory()
    own = VoordrachtFactory(leerbaan=leerbaan, candidate__consultant=consultant, score=90)
    others = VoordrachtFactory(leerbaan=leerbaan, score=70)
    VoordrachtFactory()  # elsewhere
    assert set(voordrachten_visible_to(user=consultant)) == {own}
    assert set(voordrachten_visible_to(user=UserFactory(organisation=werkgever_org))) == {
        own,
        others,
    }
    school = UserFactory(organisation=OrganisationFactory(school=True))
    assert not voordrachten_visible_to(user=school).exists()
