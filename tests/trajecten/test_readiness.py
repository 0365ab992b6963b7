"""The readiness checklist before an enrolment starts: each item failing alone, with its
message; the start refused until all hold; the school's POK and OOK forms, their validation and
scoping; the checklist on the enrolment page; each step's event to consultant and werkgever."""

import datetime as dt

import pytest
from django.utils import timezone

from candidates.constants import CandidateStatus
from leerbedrijven.models import Erkenning
from praktijkleren.notifications.models import OutboxMessage
from praktijkleren.workflow import TransitionRefused
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory
from tests.leerbedrijven.factories import LeerbaanFactory
from tests.opleidingen.factories import MboInstellingFactory
from tests.trajecten.factories import EnrolmentFactory, make_ready
from trajecten import services
from trajecten.constants import EnrolmentStatus
from trajecten.models import Enrolment, Onderwijsovereenkomst, Praktijkovereenkomst
from trajecten.selectors import enrolment_readiness

pytestmark = pytest.mark.django_db
E = EnrolmentStatus
KEYS = ["erkenning", "praktijkopleider", "pok", "ook", "bbl_uren"]


@pytest.fixture
def school_user():
    return UserFactory(organisation=OrganisationFactory(school=True))


@pytest.fixture
def werkgever():
    return UserFactory(organisation=OrganisationFactory(werkgever=True))


@pytest.fixture
def consultant():
    return UserFactory()


@pytest.fixture
def enrolment(school_user, werkgever, consultant):
    """An accepted enrolment, start date today, ready to start."""
    instelling = MboInstellingFactory(organisation=school_user.organisation)
    leerbaan = LeerbaanFactory(leerbedrijf__organisation=werkgever.organisation)
    candidate = CandidateFactory(consultant=consultant, status=CandidateStatus.GEPLAATST)
    return make_ready(
        EnrolmentFactory(
            candidate=candidate,
            leerbaan=leerbaan,
            kwalificatie=leerbaan.kwalificatie,
            instelling=instelling,
            status=E.GEACCEPTEERD,
            start_date=timezone.localdate(),
        )
    )


def _items(enrolment):
    enrolment = Enrolment.objects.get(pk=enrolment.pk)
    return {item.key: item for item in enrolment_readiness(enrolment=enrolment)}


def test_a_ready_enrolment_has_every_item_in_order(enrolment):
    items = enrolment_readiness(enrolment=Enrolment.objects.get(pk=enrolment.pk))
    assert [i.key for i in items] == KEYS
    assert all(i.ok for i in items)


def _break_erkenning(enrolment):
    Erkenning.objects.filter(leerbedrijf=enrolment.leerbaan.leerbedrijf).update(
        geldig_tot=timezone.localdate() - dt.timedelta(days=1)
    )


def _break_praktijkopleider_none(enrolment):
    type(enrolment.leerbaan).objects.filter(pk=enrolment.leerbaan_id).update(praktijkopleider=None)


def _break_praktijkopleider_full(enrolment):
    other = EnrolmentFactory(status=E.AANGEVRAAGD)
    from tests.candidates.factories import VoordrachtFactory

    VoordrachtFactory(candidate=other.candidate, leerbaan=enrolment.leerbaan, status="aangenomen")


def _break_pok_unsigned(enrolment):
    Praktijkovereenkomst.objects.filter(enrolment=enrolment).update(signed_by_candidate=None)


def _break_pok_missing(enrolment):
    Praktijkovereenkomst.objects.filter(enrolment=enrolment).delete()


def _break_pok_period(enrolment):
    later = enrolment.start_date + dt.timedelta(days=10)
    Praktijkovereenkomst.objects.filter(enrolment=enrolment).update(
        period_start=later, period_end=later + dt.timedelta(days=300)
    )


def _break_ook(enrolment):
    Onderwijsovereenkomst.objects.filter(enrolment=enrolment).update(signed_on=None)


def _break_hours(enrolment):
    Praktijkovereenkomst.objects.filter(enrolment=enrolment).update(hours_per_week=11)


BREAKS = [
    (_break_erkenning, {"erkenning"}, "niet erkend"),
    (_break_praktijkopleider_none, {"praktijkopleider"}, "geen praktijkopleider"),
    (_break_praktijkopleider_full, {"praktijkopleider"}, "meer dan de 1 die past"),
    (_break_pok_unsigned, {"pok"}, "Nog niet getekend door: de kandidaat"),
    (_break_pok_missing, {"pok", "bbl_uren"}, "nog niet vastgelegd"),
    (_break_pok_period, {"pok"}, "omvat de startdatum"),
    (_break_ook, {"ook"}, "nog niet getekend"),
    (_break_hours, {"bbl_uren"}, "573 uur per jaar"),
]


@pytest.mark.parametrize(("breaks", "failing", "message"), BREAKS)
def test_each_item_failing_alone_refuses_the_start(
    breaks, failing, message, enrolment, school_user
):
    breaks(enrolment)
    items = _items(enrolment)
    assert {k for k, i in items.items() if not i.ok} == failing
    assert any(message in items[k].explanation for k in failing)
    with pytest.raises(TransitionRefused) as refused:
        services.enrolment_start(enrolment=enrolment, by=school_user)
    assert refused.value.code == "rule"
    assert message in refused.value.messages[0]
    for key in failing:
        assert str(items[key].label) in refused.value.messages[0]
    assert Enrolment.objects.get(pk=enrolment.pk).status == E.GEACCEPTEERD


def test_twelve_hours_a_week_meets_the_bbl_minimum(enrolment):
    Praktijkovereenkomst.objects.filter(enrolment=enrolment).update(hours_per_week=12)
    assert _items(enrolment)["bbl_uren"].ok  # 12 × 365 / 7 = 625 ≥ 610


def test_the_start_is_refused_then_allowed_once_all_hold(enrolment, school_user):
    _break_ook(enrolment)
    page_before = Enrolment.objects.get(pk=enrolment.pk)
    from praktijkleren.workflow import actions_for

    assert "start" not in [a.name for a in actions_for(page_before, school_user)]
    with pytest.raises(TransitionRefused):
        services.enrolment_start(enrolment=enrolment, by=school_user)
    Onderwijsovereenkomst.objects.filter(enrolment=enrolment).update(signed_on=timezone.localdate())
    assert "start" in [
        a.name for a in actions_for(Enrolment.objects.get(pk=enrolment.pk), school_user)
    ]
    services.enrolment_start(enrolment=enrolment, by=school_user)
    enrolment.refresh_from_db()
    assert enrolment.status == E.GESTART
    assert enrolment.transitions.get().to_state == E.GESTART


def test_only_the_school_starts_a_ready_enrolment(enrolment, consultant, werkgever):
    for wrong in (consultant, werkgever):
        with pytest.raises(TransitionRefused) as refused:
            services.enrolment_start(enrolment=enrolment, by=wrong)
        assert refused.value.code == "role"
    _break_ook(enrolment)
    with pytest.raises(TransitionRefused) as refused:
        services.enrolment_start(enrolment=enrolment, by=consultant)
    assert "Onderwijsovereenkomst" not in refused.value.messages[0]  # the list is the school's
    assert Enrolment.objects.get(pk=enrolment.pk).status == E.GEACCEPTEERD


# --- each step reaches the consultant and the werkgever --------------------------------------

STEPS = [
    ("accept", E.AANGEVRAAGD, "enrolment.accepted"),
    ("decline", E.AANGEVRAAGD, "enrolment.declined"),
    ("start", E.GEACCEPTEERD, "enrolment.started"),
    ("complete", E.GESTART, "enrolment.completed"),
    ("stop", E.GEACCEPTEERD, "enrolment.stopped"),
]


@pytest.mark.parametrize(("name", "state", "kind"), STEPS)
def test_each_step_reaches_the_consultant_and_the_werkgever(
    name, state, kind, enrolment, school_user, werkgever, consultant
):
    fields = {"status": state}
    if state == E.AANGEVRAAGD:
        fields["start_date"] = None
    Enrolment.objects.filter(pk=enrolment.pk).update(**fields)
    enrolment = Enrolment.objects.get(pk=enrolment.pk)
    if state == E.GESTART:
        type(enrolment.candidate).objects.filter(pk=enrolment.candidate_id).update(
            status=CandidateStatus.IN_OPLEIDING
        )
    arguments = {
        "accept": {"start_date": timezone.localdate(), "route": enrolment.route},
        "decline": {"reason_code": "vol"},
        "stop": {"reason_code": "gezondheid"},
        "complete": {"outcome_date": timezone.localdate()},
    }.get(name, {})
    getattr(services, f"enrolment_{name}")(enrolment=enrolment, by=school_user, **arguments)
    reached = set(OutboxMessage.objects.filter(kind=kind).values_list("organisation_id", flat=True))
    assert consultant.organisation_id in reached
    assert werkgever.organisation_id in reached


# --- the school's forms ----------------------------------------------------------------------

POK = {
    "period_start": "2026-09-01",
    "period_end": "2027-08-31",
    "hours_per_week": "24",
    "hours_spread": "Ma-wo",
    "guidance": "Wekelijks",
    "onderdeel": "Alle werkprocessen",
    "assessment": "Proeve",
    "signed_by_school": "",
    "signed_by_candidate": "",
    "signed_by_leerbedrijf": "",
}


def _url(enrolment, kind):
    return f"/inschrijvingen/{enrolment.pk}/overeenkomst/{kind}/"


def test_the_school_records_the_pok_and_ook(client, enrolment, school_user):
    Praktijkovereenkomst.objects.filter(enrolment=enrolment).delete()
    Onderwijsovereenkomst.objects.filter(enrolment=enrolment).delete()
    client.force_login(school_user)
    assert client.get(_url(enrolment, "pok")).status_code == 200
    response = client.post(_url(enrolment, "pok"), POK)
    assert response.status_code == 302
    pok = Praktijkovereenkomst.objects.get(enrolment=enrolment)
    assert (pok.hours_per_week, pok.signed_by_school) == (24, None)
    client.post(_url(enrolment, "ook"), {"signed_on": str(timezone.localdate())})
    assert Onderwijsovereenkomst.objects.get(enrolment=enrolment).signed_on is not None
    items = _items(enrolment)
    assert not items["pok"].ok
    assert items["ook"].ok


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"period_end": "2026-08-01"}, "period_end", "op of na de begindatum"),
        ({"hours_per_week": "0"}, "hours_per_week", "van 1 tot en met 60"),
        ({"hours_per_week": "61"}, "hours_per_week", "van 1 tot en met 60"),
        ({"hours_per_week": "999"}, "hours_per_week", "van 1 tot en met 60"),
        ({"period_start": "1990-01-01"}, "period_start", "Kies een datum tussen"),
        ({"period_end": "2032-08-01"}, "period_end", "ten hoogste 5 jaar"),
        ({"signed_by_school": "1900-01-01"}, "signed_by_school", "Kies een datum tussen"),
        ({"signed_by_school": "2999-01-01"}, "signed_by_school", "niet in de toekomst"),
        ({"guidance": ""}, "guidance", "verplicht"),
    ],
)
def test_the_pok_form_refuses_what_cannot_be(
    change, field, message, client, enrolment, school_user
):
    client.force_login(school_user)
    response = client.post(_url(enrolment, "pok"), {**POK, **change})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])


def test_the_ook_form_refuses_a_future_date(client, enrolment, school_user):
    client.force_login(school_user)
    response = client.post(_url(enrolment, "ook"), {"signed_on": "2999-01-01"})
    assert response.status_code == 200
    assert Onderwijsovereenkomst.objects.get(enrolment=enrolment).signed_on is not None


def test_only_the_enrolments_school_edits_the_agreements(client, enrolment, consultant, werkgever):
    other_school = UserFactory(organisation=OrganisationFactory(school=True))
    for user, status in ((other_school, 404), (consultant, 404), (werkgever, 403)):
        client.force_login(user)
        assert client.get(_url(enrolment, "pok")).status_code == status
        assert client.post(_url(enrolment, "ook"), {"signed_on": ""}).status_code == status
    assert Onderwijsovereenkomst.objects.get(enrolment=enrolment).signed_on is not None


def test_after_the_start_the_agreements_are_not_changed(client, enrolment, school_user):
    services.enrolment_start(enrolment=enrolment, by=school_user)
    client.force_login(school_user)
    response = client.post(_url(enrolment, "ook"), {"signed_on": ""})
    assert response.status_code == 302
    assert Onderwijsovereenkomst.objects.get(enrolment=enrolment).signed_on is not None


def test_the_checklist_on_the_page(client, enrolment, school_user, werkgever, consultant):
    _break_ook(enrolment)
    for user, may_edit in ((school_user, True), (werkgever, False), (consultant, False)):
        client.force_login(user)
        page = client.get(enrolment.get_absolute_url()).content.decode()
        assert "Klaar om te starten?" in page
        assert "De onderwijsovereenkomst is nog niet getekend." in page
        assert (_url(enrolment, "pok") in page) is may_edit
