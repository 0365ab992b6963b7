"""The voordracht's workflow: every transition allowed from its sources and refused from every
other state and for the wrong role; each logged and told; the rules that tie it to the candidate,
the leerbaan and the enrolment."""

import itertools

import pytest

from candidates import services
from candidates.constants import CandidateStatus, DeclineReason, VoordrachtStatus
from candidates.models import Candidate, Voordracht, VoordrachtTransition
from candidates.notify import VOORDRACHT_EVENTS
from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.models import Leerbaan
from praktijkleren.notifications.models import OutboxMessage
from praktijkleren.workflow import TransitionRefused
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory
from tests.workflows.conftest import interview, open_leerbaan, voordracht_in
from trajecten import services as trajecten_services
from trajecten.models import Enrolment

pytestmark = pytest.mark.django_db

V = VoordrachtStatus
OPEN = {V.VOORGEDRAGEN, V.UITGENODIGD}
# The issue's table: transition → (sources, target).
TABLE = {
    "invite": ({V.VOORGEDRAGEN}, V.UITGENODIGD),
    "accept": ({V.UITGENODIGD}, V.AANGENOMEN),
    "decline": (OPEN, V.AFGEWEZEN),
    "withdraw": (OPEN, V.INGETROKKEN),
    "expire": (OPEN, V.VERLOPEN),
    "place_elsewhere": (OPEN, V.ELDERS_GEPLAATST),
}


def declared(model) -> dict:
    table: dict = {}
    for transition in model._meta.get_field("status").get_all_transitions(model):
        sources, _target = table.setdefault(transition.name, (set(), transition.target))
        sources.add(transition.source)
    return table


def test_the_declared_workflow_is_the_issues_table():
    assert declared(Voordracht) == TABLE


def _run(name, voordracht, actors):
    """Run the service of transition ``name`` as the party that may make it."""
    consultant, werkgever = actors
    if name == "invite":
        return services.voordracht_invite(voordracht=voordracht, by=werkgever, **interview())
    if name == "accept":
        return trajecten_services.voordracht_accept(voordracht=voordracht, by=werkgever)
    if name == "decline":
        return services.voordracht_decline(
            voordracht=voordracht, by=werkgever, reason_code=DeclineReason.GESPREK
        )
    if name == "withdraw":
        return services.voordracht_withdraw(voordracht=voordracht, by=consultant, reason="Ziek")
    return services.voordracht_expire(voordracht=voordracht, reason="Te lang")


SERVICES = ["invite", "accept", "decline", "withdraw", "expire"]


@pytest.mark.parametrize(("state", "name"), list(itertools.product(V.values, SERVICES)))
def test_each_transition_from_each_state(state, name, candidate, leerbaan, consultant, werkgever):
    voordracht = voordracht_in(state, candidate, leerbaan)
    sources, target = TABLE[name]
    if state in sources:
        _run(name, voordracht, (consultant, werkgever))
        voordracht.refresh_from_db()
        assert voordracht.status == target
        log = voordracht.transitions.get(transition=name)
        assert (log.from_state, log.to_state) == (state, target)
        expected_by = {"invite": werkgever, "accept": werkgever, "decline": werkgever}.get(
            name, consultant if name == "withdraw" else None
        )
        assert log.by == expected_by
        assert log.organisation == (expected_by.organisation if expected_by else None)
        told = OutboxMessage.objects.filter(kind=VOORDRACHT_EVENTS[name])
        assert set(told.values_list("organisation", flat=True)) == {
            candidate.organisation_id,
            leerbaan.leerbedrijf.organisation_id,
        }
    else:
        with pytest.raises(TransitionRefused) as refused:
            _run(name, voordracht, (consultant, werkgever))
        assert refused.value.code == "state"
        assert str(V(state).label) in " ".join(refused.value.messages)
        assert Voordracht.objects.get(pk=voordracht.pk).status == state
        assert not voordracht.transitions.exists()
        assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("name", ["invite", "accept", "decline", "withdraw"])
def test_the_wrong_party_is_refused(name, candidate, leerbaan, consultant, werkgever):
    state = V.UITGENODIGD if name == "accept" else V.VOORGEDRAGEN
    voordracht = voordracht_in(state, candidate, leerbaan)
    other_werkgever = UserFactory(organisation=OrganisationFactory(werkgever=True))
    # The consultant may not do the werkgever's part and the reverse; a stranger neither.
    for wrong in (
        (werkgever, UserFactory()) if name == "withdraw" else (consultant, other_werkgever)
    ):
        with pytest.raises(TransitionRefused) as refused:
            _run(name, voordracht, (wrong, wrong))
        assert refused.value.code == "role"
        assert "mag alleen" in refused.value.messages[0]
    assert Voordracht.objects.get(pk=voordracht.pk).status == state


def test_expire_is_the_systems(candidate, leerbaan, werkgever):
    voordracht = voordracht_in(V.VOORGEDRAGEN, candidate, leerbaan)
    from praktijkleren.workflow import transition_check

    with pytest.raises(TransitionRefused):
        transition_check(voordracht, "expire", by=werkgever)
    transition_check(voordracht, "expire", by=None)


def test_decline_needs_a_known_reason_code(candidate, leerbaan, werkgever):
    voordracht = voordracht_in(V.VOORGEDRAGEN, candidate, leerbaan)
    for code in ("", "bestaat-niet"):
        with pytest.raises(TransitionRefused) as refused:
            services.voordracht_decline(voordracht=voordracht, by=werkgever, reason_code=code)
        assert refused.value.code == "reason"
    services.voordracht_decline(
        voordracht=voordracht, by=werkgever, reason_code="overig", reason="x"
    )
    voordracht.refresh_from_db()
    assert voordracht.decline_reason == "overig"
    assert voordracht.transitions.get().reason == "x"


def test_make_creates_logs_and_tells_both_parties(candidate, leerbaan, consultant):
    voordracht = services.voordracht_make(candidate=candidate, leerbaan=leerbaan, by=consultant)
    assert voordracht.status == V.VOORGEDRAGEN
    assert voordracht.score > 0
    assert voordracht.reasons
    assert Candidate.objects.get(pk=candidate.pk).status == CandidateStatus.VOORGEDRAGEN
    log = voordracht.transitions.get()
    assert (log.transition, log.from_state, log.by) == ("make", "", consultant)
    assert candidate.transitions.get().transition == "propose"
    recipients = set(OutboxMessage.objects.values_list("organisation", flat=True))
    assert recipients == {candidate.organisation_id, leerbaan.leerbedrijf.organisation_id}
    assert not any("111222333" in m.body for m in OutboxMessage.objects.all())


@pytest.mark.parametrize(
    "blocker",
    [
        "no consent",
        "aangemeld",
        "geplaatst",
        "closed leerbaan",
        "full leerbaan",
        "twice",
        "werkgever",
    ],
)
def test_make_is_refused(blocker, candidate, leerbaan, consultant, werkgever):
    by = consultant
    if blocker == "no consent":
        Candidate.objects.filter(pk=candidate.pk).update(
            consent_given_at=None, status=CandidateStatus.AANGEMELD
        )
    elif blocker in ("aangemeld", "geplaatst"):
        Candidate.objects.filter(pk=candidate.pk).update(status=blocker)
    elif blocker == "closed leerbaan":
        Leerbaan.objects.filter(pk=leerbaan.pk).update(status=LeerbaanStatus.GESLOTEN)
    elif blocker == "full leerbaan":
        Leerbaan.objects.filter(pk=leerbaan.pk).update(places_taken=leerbaan.places)
    elif blocker == "twice":
        services.voordracht_make(candidate=candidate, leerbaan=leerbaan, by=consultant)
    else:
        by = werkgever
    before = Voordracht.objects.count()
    with pytest.raises(TransitionRefused):
        services.voordracht_make(candidate=candidate, leerbaan=leerbaan, by=by)
    assert Voordracht.objects.count() == before


def test_after_a_withdrawal_the_pair_can_be_proposed_again(candidate, leerbaan, consultant):
    first = services.voordracht_make(candidate=candidate, leerbaan=leerbaan, by=consultant)
    services.voordracht_withdraw(voordracht=first, by=consultant)
    assert Candidate.objects.get(pk=candidate.pk).status == CandidateStatus.ACTIEF
    second = services.voordracht_make(candidate=candidate, leerbaan=leerbaan, by=consultant)
    assert second.pk != first.pk


def test_a_declined_pair_is_not_proposed_again(candidate, leerbaan, consultant, werkgever):
    voordracht = services.voordracht_make(candidate=candidate, leerbaan=leerbaan, by=consultant)
    services.voordracht_decline(voordracht=voordracht, by=werkgever, reason_code="gesprek")
    with pytest.raises(TransitionRefused):
        services.voordracht_make(candidate=candidate, leerbaan=leerbaan, by=consultant)


def test_the_candidate_searches_again_when_its_last_voordracht_ends(
    candidate, leerbaan, consultant, werkgever
):
    other = open_leerbaan(werkgever, kwalificatie=leerbaan.kwalificatie)
    first = services.voordracht_make(candidate=candidate, leerbaan=leerbaan, by=consultant)
    second = services.voordracht_make(candidate=candidate, leerbaan=other, by=consultant)
    services.voordracht_decline(voordracht=first, by=werkgever, reason_code="profiel_past_niet")
    assert Candidate.objects.get(pk=candidate.pk).status == CandidateStatus.VOORGEDRAGEN
    services.voordracht_withdraw(voordracht=second, by=consultant)
    assert Candidate.objects.get(pk=candidate.pk).status == CandidateStatus.ACTIEF


# --- one placement at a time; acceptance starts the enrolment --------------------------------


def test_accepting_places_the_candidate_and_ends_its_other_voordrachten(
    candidate, leerbaan, consultant, werkgever, school
):
    other = open_leerbaan(werkgever, kwalificatie=leerbaan.kwalificatie)
    first = voordracht_in(V.UITGENODIGD, candidate, leerbaan)
    second = voordracht_in(V.UITGENODIGD, candidate, other)

    enrolment = trajecten_services.voordracht_accept(voordracht=first, by=werkgever)

    assert Voordracht.objects.get(pk=first.pk).status == V.AANGENOMEN
    second.refresh_from_db()
    assert second.status == V.ELDERS_GEPLAATST
    assert second.transitions.get().reason == f"Geplaatst bij {leerbaan.titel}."
    assert Candidate.objects.get(pk=candidate.pk).status == CandidateStatus.GEPLAATST
    assert Leerbaan.objects.get(pk=leerbaan.pk).places_taken == 1
    assert (enrolment.voordracht, enrolment.instelling, enrolment.status) == (
        first,
        school,
        "aangevraagd",
    )
    assert enrolment.kwalificatie == leerbaan.kwalificatie
    assert enrolment.distance_km == pytest.approx(3.0, abs=0.1)
    with pytest.raises(TransitionRefused) as refused:
        trajecten_services.voordracht_accept(voordracht=second, by=werkgever)
    assert refused.value.code == "state"
    assert Enrolment.objects.count() == 1


def test_the_nearest_offering_instelling_gets_the_request(candidate, leerbaan, werkgever, school):
    from tests.opleidingen.factories import (
        MboInstellingFactory,
        MboLocatieFactory,
        OpleidingsaanbodFactory,
    )

    nearer = MboInstellingFactory()
    MboLocatieFactory(instelling=nearer, lat=52.091, lon=5.12)  # 100 m
    not_offering = MboInstellingFactory()
    MboLocatieFactory(instelling=not_offering, lat=52.09, lon=5.12)
    OpleidingsaanbodFactory(instelling=nearer, kwalificatie=leerbaan.kwalificatie, leerweg="BOL")
    voordracht = voordracht_in(V.UITGENODIGD, candidate, leerbaan)

    enrolment = trajecten_services.voordracht_accept(voordracht=voordracht, by=werkgever)

    assert enrolment.instelling == school  # the nearer one offers it in BOL only
    OpleidingsaanbodFactory(instelling=nearer, kwalificatie=leerbaan.kwalificatie)
    assert enrolment.instelling == school  # decided once, at the acceptance


def test_without_an_offering_instelling_the_request_is_a_todo(candidate, leerbaan, werkgever):
    voordracht = voordracht_in(V.UITGENODIGD, candidate, leerbaan)
    enrolment = trajecten_services.voordracht_accept(voordracht=voordracht, by=werkgever)
    assert enrolment.instelling is None
    assert enrolment.needs_instelling()
    assert enrolment.transitions.get().transition == "request"


def test_the_last_place_fills_the_leerbaan_and_ends_its_other_voordrachten(
    consultant, werkgever, school
):
    leerbaan = open_leerbaan(werkgever, places=1)
    chosen, other, invited = (
        CandidateFactory(consultant=consultant, wished_kwalificaties=[leerbaan.kwalificatie])
        for _ in range(3)
    )
    accepted = voordracht_in(V.UITGENODIGD, chosen, leerbaan)
    proposed = voordracht_in(V.VOORGEDRAGEN, other, leerbaan)
    also_invited = voordracht_in(V.UITGENODIGD, invited, leerbaan)

    trajecten_services.voordracht_accept(voordracht=accepted, by=werkgever)

    leerbaan.refresh_from_db()
    assert (leerbaan.status, leerbaan.places_taken) == (LeerbaanStatus.VERVULD, 1)
    for voordracht, person in ((proposed, other), (also_invited, invited)):
        voordracht.refresh_from_db()
        assert voordracht.status == V.VERLOPEN
        assert voordracht.transitions.get().reason == "De leerbaan is vervuld."
        assert Candidate.objects.get(pk=person.pk).status == CandidateStatus.ACTIEF


def test_the_werkgever_may_not_accept_on_a_full_or_closed_leerbaan(candidate, werkgever):
    for change in ({"places_taken": 2}, {"status": LeerbaanStatus.GESLOTEN}):
        leerbaan = open_leerbaan(werkgever)
        voordracht = voordracht_in(V.UITGENODIGD, candidate, leerbaan)
        Leerbaan.objects.filter(pk=leerbaan.pk).update(**change)
        with pytest.raises(TransitionRefused) as refused:
            trajecten_services.voordracht_accept(voordracht=voordracht, by=werkgever)
        assert refused.value.code == "rule"
        Voordracht.objects.filter(pk=voordracht.pk).update(status=V.INGETROKKEN)


def test_invited_candidates_may_be_accepted_after_the_closing_date(candidate, werkgever):
    leerbaan = open_leerbaan(werkgever)
    voordracht = voordracht_in(V.UITGENODIGD, candidate, leerbaan)
    Leerbaan.objects.filter(pk=leerbaan.pk).update(status=LeerbaanStatus.VERLOPEN)
    trajecten_services.voordracht_accept(voordracht=voordracht, by=werkgever)
    assert Voordracht.objects.get(pk=voordracht.pk).status == V.AANGENOMEN


def test_a_declined_candidate_stays_searching_with_the_reason_in_the_history(
    candidate, leerbaan, consultant, werkgever
):
    voordracht = services.voordracht_make(candidate=candidate, leerbaan=leerbaan, by=consultant)
    services.voordracht_decline(
        voordracht=voordracht, by=werkgever, reason_code="andere_kandidaat", reason="Sorry"
    )
    log = VoordrachtTransition.objects.get(voordracht=voordracht, transition="decline")
    assert (log.reason_code, log.reason, log.organisation) == (
        "andere_kandidaat",
        "Sorry",
        werkgever.organisation,
    )
