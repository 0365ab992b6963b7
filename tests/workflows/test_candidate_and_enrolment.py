"""The candidate's and the enrolment's workflows: every transition allowed from its sources and
refused from every other state and for the wrong role, logged; the candidate follows its
enrolment."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from candidates import services
from candidates.constants import CandidateStatus, VoordrachtStatus
from candidates.models import Candidate
from praktijkleren.workflow import TransitionRefused
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory
from tests.trajecten.factories import EnrolmentFactory, make_ready
from tests.workflows.conftest import voordracht_in
from tests.workflows.test_voordracht import declared
from trajecten import services as trajecten_services
from trajecten.constants import EnrolmentStatus
from trajecten.models import Enrolment

pytestmark = pytest.mark.django_db

C = CandidateStatus
E = EnrolmentStatus
SEARCHING = {C.AANGEMELD, C.ACTIEF, C.VOORGEDRAGEN}
CANDIDATE_TABLE = {
    "activate": ({C.AANGEMELD}, C.ACTIEF),
    "propose": ({C.ACTIEF}, C.VOORGEDRAGEN),
    "return_to_search": ({C.VOORGEDRAGEN}, C.ACTIEF),
    "place": ({C.VOORGEDRAGEN}, C.GEPLAATST),
    "start_training": ({C.GEPLAATST}, C.IN_OPLEIDING),
    "complete": ({C.IN_OPLEIDING}, C.AFGEROND),
    "deregister": (SEARCHING, C.AFGEMELD),
    "drop_out": ({C.GEPLAATST, C.IN_OPLEIDING}, C.UITGEVALLEN),
}
ENROLMENT_TABLE = {
    "choose_instelling": ({E.AANGEVRAAGD, E.AFGEWEZEN}, E.AANGEVRAAGD),
    "accept": ({E.AANGEVRAAGD}, E.GEACCEPTEERD),
    "decline": ({E.AANGEVRAAGD}, E.AFGEWEZEN),
    "start": ({E.GEACCEPTEERD}, E.GESTART),
    "complete": ({E.GESTART}, E.AFGEROND),
    "stop": ({E.AANGEVRAAGD, E.GEACCEPTEERD, E.GESTART}, E.GESTOPT),
}


def test_the_declared_workflows_are_the_issues_tables():
    assert declared(Candidate) == CANDIDATE_TABLE
    assert declared(Enrolment) == ENROLMENT_TABLE


def _candidate_in(state, consultant):
    fields = {"status": state}
    if state in (C.AFGEMELD, C.UITGEVALLEN):
        fields["end_reason"] = "overig"
    if state == C.AANGEMELD:
        fields["consent_given_at"] = None
    return CandidateFactory(consultant=consultant, **fields)


@pytest.mark.parametrize("state", C.values)
def test_activate_from_each_state(state, consultant):
    candidate = _candidate_in(state, consultant)
    if state == C.AANGEMELD:
        services.candidate_activate(candidate=candidate, by=consultant, consent=True)
        candidate.refresh_from_db()
        assert candidate.status == C.ACTIEF
        assert candidate.consent_given_at is not None
        assert candidate.transitions.get().by == consultant
    else:
        with pytest.raises(TransitionRefused) as refused:
            services.candidate_activate(candidate=candidate, by=consultant, consent=True)
        assert refused.value.code == "state"
        assert Candidate.objects.get(pk=candidate.pk).status == state


def test_activate_needs_consent_and_the_consultant(consultant):
    candidate = _candidate_in(C.AANGEMELD, consultant)
    with pytest.raises(TransitionRefused) as refused:
        services.candidate_activate(candidate=candidate, by=consultant, consent=False)
    assert refused.value.code == "rule"
    assert "toestemming" in refused.value.messages[0]
    stranger = UserFactory()
    with pytest.raises(TransitionRefused) as refused:
        services.candidate_activate(candidate=candidate, by=stranger, consent=True)
    assert refused.value.code == "role"  # a stranger cannot record consent either
    assert Candidate.objects.get(pk=candidate.pk).consent_given_at is None


def test_the_activation_page_is_offered_to_a_candidate_without_consent(client, consultant):
    candidate = _candidate_in(C.AANGEMELD, consultant)
    client.force_login(consultant)
    url = f"/kandidaten/{candidate.pk}/activate/"
    assert url in client.get(candidate.get_absolute_url()).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="consent"' in page.content.decode()
    client.post(url, {"consent": "on"})
    assert Candidate.objects.get(pk=candidate.pk).status == C.ACTIEF


@pytest.mark.parametrize("state", C.values)
def test_deregister_from_each_state(state, consultant):
    candidate = _candidate_in(state, consultant)
    if state in SEARCHING:
        services.candidate_deregister(
            candidate=candidate, by=consultant, reason_code="werk_gevonden", reason="Bij de bakker"
        )
        candidate.refresh_from_db()
        assert (candidate.status, candidate.end_reason) == (C.AFGEMELD, "werk_gevonden")
    else:
        with pytest.raises(TransitionRefused):
            services.candidate_deregister(candidate=candidate, by=consultant, reason_code="overig")


def test_deregistering_withdraws_the_open_voordrachten(candidate, leerbaan, consultant):
    voordracht = voordracht_in(VoordrachtStatus.UITGENODIGD, candidate, leerbaan)
    services.candidate_deregister(candidate=candidate, by=consultant, reason_code="verhuisd")
    voordracht.refresh_from_db()
    assert voordracht.status == VoordrachtStatus.INGETROKKEN
    assert voordracht.transitions.get().reason == "De kandidaat is afgemeld."


def test_deregister_is_refused_without_reason_or_by_a_werkgever(candidate, consultant, werkgever):
    with pytest.raises(TransitionRefused) as refused:
        services.candidate_deregister(candidate=candidate, by=consultant, reason_code="")
    assert refused.value.code == "reason"
    with pytest.raises(TransitionRefused) as refused:
        services.candidate_deregister(candidate=candidate, by=werkgever, reason_code="overig")
    assert refused.value.code == "role"


def test_register_with_consent_activates(consultant):
    from tests.geo.factories import PostcodeFactory
    from tests.opleidingen.factories import KwalificatieFactory

    data = {
        "first_name": "Sanne",
        "last_name": "de Vries",
        "postcode": PostcodeFactory(),
        "route": "diploma",
        "earliest_start_date": dt.date(2027, 2, 1),
        "wished_kwalificaties": [KwalificatieFactory()],
    }
    with_consent = services.candidate_register(
        organisation=consultant.organisation, consultant=consultant, data={**data, "consent": True}
    )
    without = services.candidate_register(
        organisation=consultant.organisation, consultant=consultant, data=data
    )
    assert with_consent.status == C.ACTIEF
    assert list(with_consent.transitions.values_list("transition", "to_state")) == [
        ("register", C.AANGEMELD),
        ("activate", C.ACTIEF),
    ]
    assert without.status == C.AANGEMELD


# --- the enrolment ---------------------------------------------------------------------------


def _enrolment_in(state, school, consultant):
    candidate_state = {E.GESTART: C.IN_OPLEIDING, E.AFGEROND: C.AFGEROND}.get(state, C.GEPLAATST)
    fields = {"status": state, "instelling": school}
    if state in (E.GEACCEPTEERD, E.GESTART, E.AFGEROND):
        fields["start_date"] = timezone.localdate()
    if state in (E.AFGEWEZEN, E.GESTOPT):
        fields["end_reason"] = "overig"
    candidate = CandidateFactory(consultant=consultant, status=candidate_state)
    enrolment = EnrolmentFactory(candidate=candidate, **fields)
    return make_ready(enrolment) if state == E.GEACCEPTEERD else enrolment


def _run(name, enrolment, by):
    if name == "accept":
        start = timezone.localdate() + dt.timedelta(days=30)
        return trajecten_services.enrolment_accept(
            enrolment=enrolment, by=by, start_date=start, route=enrolment.route
        )
    if name == "decline":
        return trajecten_services.enrolment_decline(enrolment=enrolment, by=by, reason_code="vol")
    if name == "stop":
        return trajecten_services.enrolment_stop(
            enrolment=enrolment, by=by, reason_code="gezondheid"
        )
    if name == "complete":  # a diploma route: completing asks the date behaald
        return trajecten_services.enrolment_complete(
            enrolment=enrolment, by=by, outcome_date=enrolment.start_date
        )
    return getattr(trajecten_services, f"enrolment_{name}")(enrolment=enrolment, by=by)


CANDIDATE_AFTER = {"start": C.IN_OPLEIDING, "complete": C.AFGEROND, "stop": C.UITGEVALLEN}


SCHOOL_TRANSITIONS = [name for name in ENROLMENT_TABLE if name != "choose_instelling"]


@pytest.mark.parametrize(("state", "name"), list(itertools.product(E.values, SCHOOL_TRANSITIONS)))
def test_each_enrolment_transition_from_each_state(state, name, school, school_user, consultant):
    enrolment = _enrolment_in(state, school, consultant)
    candidate_before = enrolment.candidate.status
    sources, target = ENROLMENT_TABLE[name]
    # A request the school declines; stopping it is the consultant's (the candidate drops out).
    by = consultant if (name, state) == ("stop", E.AANGEVRAAGD) else school_user
    if state in sources:
        _run(name, enrolment, by)
        enrolment.refresh_from_db()
        assert enrolment.status == target
        log = enrolment.transitions.get()
        assert (log.from_state, log.to_state, log.by) == (state, target, by)
        expected = CANDIDATE_AFTER.get(name, candidate_before)
        assert Candidate.objects.get(pk=enrolment.candidate_id).status == expected
    else:
        with pytest.raises(TransitionRefused) as refused:
            _run(name, enrolment, by)
        assert refused.value.code == "state"
        assert Enrolment.objects.get(pk=enrolment.pk).status == state
        assert Candidate.objects.get(pk=enrolment.candidate_id).status == candidate_before


@pytest.mark.parametrize("name", ["accept", "decline", "start", "complete"])
def test_only_the_school_moves_the_enrolment(name, school, consultant):
    state = {"start": E.GEACCEPTEERD, "complete": E.GESTART}.get(name, E.AANGEVRAAGD)
    enrolment = _enrolment_in(state, school, consultant)
    other_school = UserFactory(organisation=OrganisationFactory(school=True))
    for wrong in (consultant, other_school):
        with pytest.raises(TransitionRefused) as refused:
            _run(name, enrolment, wrong)
        assert refused.value.code == "role"


def test_the_school_declines_a_request_rather_than_stopping_it(school, school_user, consultant):
    enrolment = _enrolment_in(E.AANGEVRAAGD, school, consultant)
    with pytest.raises(TransitionRefused) as refused:
        _run("stop", enrolment, school_user)
    assert refused.value.code == "role"


def test_the_consultant_may_stop_a_todo_and_the_candidate_drops_out(consultant):
    enrolment = _enrolment_in(E.AANGEVRAAGD, None, consultant)
    assert enrolment.needs_instelling()
    _run("stop", enrolment, consultant)
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.end_reason) == (E.GESTOPT, "gezondheid")
    candidate = Candidate.objects.get(pk=enrolment.candidate_id)
    assert (candidate.status, candidate.end_reason) == (C.UITGEVALLEN, "gezondheid")
    with pytest.raises(TransitionRefused):
        _run("stop", _enrolment_in(E.AANGEVRAAGD, None, consultant), UserFactory())


def test_an_enrolment_starts_on_or_after_its_start_date(school, school_user, consultant):
    enrolment = _enrolment_in(E.GEACCEPTEERD, school, consultant)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        start_date=timezone.localdate() + dt.timedelta(days=1)
    )
    with pytest.raises(TransitionRefused) as refused:
        trajecten_services.enrolment_start(enrolment=enrolment, by=school_user)
    assert refused.value.code == "rule"


# --- the consultant chooses the instelling ----------------------------------------------------


@pytest.fixture
def offering_school(leerbaan):
    """An mbo-instelling 5 km from the candidate's home that offers the leerbaan's kwalificatie."""
    from tests.opleidingen.factories import (
        MboInstellingFactory,
        MboLocatieFactory,
        OpleidingsaanbodFactory,
    )

    instelling = MboInstellingFactory(naam="ROC Verderop")
    MboLocatieFactory(instelling=instelling, lat=52.135, lon=5.12)
    OpleidingsaanbodFactory(instelling=instelling, kwalificatie=leerbaan.kwalificatie)
    return instelling


def _request(candidate, leerbaan, **fields):
    return EnrolmentFactory(
        candidate=candidate, leerbaan=leerbaan, kwalificatie=leerbaan.kwalificatie, **fields
    )


@pytest.mark.parametrize("state", E.values)
def test_the_consultant_chooses_an_instelling_for_a_todo_or_a_declined_request(
    state, candidate, leerbaan, consultant, school, offering_school
):
    Candidate.objects.filter(pk=candidate.pk).update(status=C.GEPLAATST)
    fields = {"status": state, "instelling": None if state == E.AANGEVRAAGD else school}
    if state in (E.GEACCEPTEERD, E.GESTART, E.AFGEROND):
        fields["start_date"] = timezone.localdate()
    if state in (E.AFGEWEZEN, E.GESTOPT):
        fields["end_reason"] = "vol"
    if state == E.GESTOPT:
        fields["instelling"] = None
    enrolment = _request(candidate, leerbaan, **fields)
    if state in (E.AANGEVRAAGD, E.AFGEWEZEN):
        trajecten_services.enrolment_instelling_choose(
            enrolment=enrolment, by=consultant, instelling=offering_school
        )
        enrolment.refresh_from_db()
        assert (enrolment.status, enrolment.instelling, enrolment.end_reason) == (
            E.AANGEVRAAGD,
            offering_school,
            "",
        )
        assert enrolment.distance_km == pytest.approx(5.0, abs=0.1)
        assert enrolment.transitions.get().reason == str(offering_school)
    else:
        with pytest.raises(TransitionRefused):
            trajecten_services.enrolment_instelling_choose(
                enrolment=enrolment, by=consultant, instelling=offering_school
            )


def test_only_an_offering_instelling_may_be_chosen_and_not_while_one_decides(
    candidate, leerbaan, consultant, school, school_user, offering_school
):
    from tests.opleidingen.factories import MboInstellingFactory

    todo = _request(candidate, leerbaan, instelling=None)
    with pytest.raises(TransitionRefused, match="niet in BBL aan"):
        trajecten_services.enrolment_instelling_choose(
            enrolment=todo, by=consultant, instelling=MboInstellingFactory()
        )
    with pytest.raises(TransitionRefused) as refused:
        trajecten_services.enrolment_instelling_choose(
            enrolment=todo, by=school_user, instelling=offering_school
        )
    assert refused.value.code == "role"
    Enrolment.objects.filter(pk=todo.pk).update(instelling=school)
    with pytest.raises(TransitionRefused, match="wacht op haar antwoord"):
        trajecten_services.enrolment_instelling_choose(
            enrolment=todo, by=consultant, instelling=offering_school
        )


def test_the_choice_page_lists_the_offering_instellingen_nearest_first(
    client, candidate, leerbaan, consultant, school, offering_school
):
    enrolment = _request(candidate, leerbaan, instelling=None)
    client.force_login(consultant)
    url = f"/inschrijvingen/{enrolment.pk}/choose_instelling/"
    html = client.get(url).content.decode()
    assert html.index(school.naam) < html.index("ROC Verderop")
    assert "5 km van huis" in html
    client.post(url, {"instelling": str(offering_school.pk)})
    assert Enrolment.objects.get(pk=enrolment.pk).instelling == offering_school
