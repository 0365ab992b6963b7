"""The enrolment handshake: places per start moment, the request that proposes a start moment
with room, the school's acceptance on a start moment with a confirmed route, and the stop that
gives the place back."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from candidates.constants import VoordrachtStatus
from opleidingen import services as opleidingen_services
from opleidingen.constants import Route
from opleidingen.models import Certificaat, StartMoment
from praktijkleren.workflow import TransitionRefused
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.opleidingen.factories import (
    KwalificatieFactory,
    MboInstellingFactory,
    MboLocatieFactory,
    OpleidingsaanbodFactory,
)
from tests.workflows.conftest import voordracht_in
from trajecten import services
from trajecten.constants import EnrolmentStatus as E
from trajecten.models import Enrolment

pytestmark = pytest.mark.django_db


def moment(aanbod, days, capacity=2, taken=0):
    return StartMoment.objects.create(
        aanbod=aanbod,
        start_date=timezone.localdate() + dt.timedelta(days=days),
        capacity=capacity,
        places_taken=taken,
    )


def far_school(leerbaan, lat=52.5):
    """Another instelling offering the kwalificatie in BBL, further from the candidate."""
    instelling = MboInstellingFactory(organisation=OrganisationFactory(school=True))
    MboLocatieFactory(instelling=instelling, lat=lat, lon=5.12)
    return OpleidingsaanbodFactory(instelling=instelling, kwalificatie=leerbaan.kwalificatie)


@pytest.fixture
def aanbod(school, leerbaan):
    """The school's BBL aanbod of the leerbaan's kwalificatie, at its location."""
    aanbod = school.aanbod.get(kwalificatie=leerbaan.kwalificatie)
    aanbod.locaties.set(school.locaties.all())
    return aanbod


def request_for(candidate, leerbaan, werkgever):
    voordracht = voordracht_in(VoordrachtStatus.UITGENODIGD, candidate, leerbaan)
    return services.voordracht_accept(voordracht=voordracht, by=werkgever)


# --- places per start moment --------------------------------------------------------------


def test_a_place_is_taken_and_released_and_a_full_moment_refuses(aanbod):
    start = moment(aanbod, 60, capacity=1)
    opleidingen_services.startmoment_place_take(startmoment=start)
    assert StartMoment.objects.get(pk=start.pk).places_taken == 1
    with pytest.raises(TransitionRefused, match="vol") as refused:
        opleidingen_services.startmoment_place_take(startmoment=start)
    assert refused.value.code == "rule"
    opleidingen_services.startmoment_place_release(startmoment=start)
    opleidingen_services.startmoment_place_release(startmoment=start)  # never below 0
    assert StartMoment.objects.get(pk=start.pk).places_taken == 0


def test_startmomenten_with_room_leave_out_full_past_and_bol(aanbod, school, leerbaan):
    from opleidingen.selectors import startmomenten_with_room

    bol = OpleidingsaanbodFactory(
        instelling=school, kwalificatie=leerbaan.kwalificatie, leerweg="BOL"
    )
    later, sooner = moment(aanbod, 90), moment(aanbod, 30)
    moment(aanbod, 45, capacity=1, taken=1)  # full
    moment(aanbod, -10)  # before the date
    moment(bol, 20)
    found = startmomenten_with_room(
        instelling=school, kwalificatie=leerbaan.kwalificatie, from_date=timezone.localdate()
    )
    assert list(found) == [sooner, later]


# --- the request proposes a start moment --------------------------------------------------


def test_the_request_proposes_the_nearest_start_moment_with_room(
    candidate, leerbaan, werkgever, school, aanbod
):
    moment(aanbod, 30, capacity=1, taken=1)  # full
    type(candidate).objects.filter(pk=candidate.pk).update(
        earliest_start_date=timezone.localdate() + dt.timedelta(days=50)
    )
    candidate.refresh_from_db()
    moment(aanbod, 40)  # before the candidate's earliest start
    wanted = moment(aanbod, 60)
    enrolment = request_for(candidate, leerbaan, werkgever)
    assert (enrolment.instelling, enrolment.startmoment) == (school, wanted)
    assert enrolment.start_date is None
    assert StartMoment.objects.get(pk=wanted.pk).places_taken == 0  # proposed, not taken


def test_a_farther_school_with_room_wins_over_a_nearer_one_without(
    candidate, leerbaan, werkgever, school, aanbod
):
    moment(aanbod, 30, capacity=1, taken=1)
    further = far_school(leerbaan)
    wanted = moment(further, 30)
    enrolment = request_for(candidate, leerbaan, werkgever)
    assert (enrolment.instelling, enrolment.startmoment) == (further.instelling, wanted)


def test_without_room_anywhere_the_nearest_school_gets_it_without_a_start_moment(
    candidate, leerbaan, werkgever, school, aanbod
):
    moment(aanbod, 30, capacity=1, taken=1)
    far_school(leerbaan)
    enrolment = request_for(candidate, leerbaan, werkgever)
    assert (enrolment.instelling, enrolment.startmoment) == (school, None)


def test_without_offer_the_request_is_the_consultants_todo(candidate, leerbaan, werkgever):
    enrolment = request_for(candidate, leerbaan, werkgever)
    assert enrolment.instelling is None
    assert enrolment.startmoment is None
    assert enrolment.needs_instelling()


def test_choosing_an_instelling_proposes_its_start_moment(
    client, candidate, leerbaan, werkgever, consultant
):
    enrolment = request_for(candidate, leerbaan, werkgever)
    later = far_school(leerbaan)
    wanted = moment(later, 30)
    url = reverse("trajecten:enrolment_transition", args=[enrolment.pk, "choose_instelling"])
    client.force_login(consultant)
    page = client.get(url).content.decode()
    assert "eerstvolgende start met plaats" in page
    assert "van huis" in page
    client.post(url, {"instelling": later.instelling.pk})
    enrolment.refresh_from_db()
    assert (enrolment.instelling, enrolment.startmoment) == (later.instelling, wanted)


# --- the school accepts -------------------------------------------------------------------


@pytest.fixture
def requested(candidate, leerbaan, werkgever, school, aanbod):
    moment(aanbod, 60)
    return request_for(candidate, leerbaan, werkgever)


def certificaat_of(kwalificatie, code="C-1"):
    certificaat = Certificaat.objects.create(code=code, naam=f"Certificaat {code}")
    certificaat.kwalificaties.add(kwalificatie)
    return certificaat


def test_accepting_on_a_start_moment_takes_its_place_and_confirms_the_route(requested, school_user):
    proposed = requested.startmoment
    certificaat = certificaat_of(requested.kwalificatie)
    services.enrolment_accept(
        enrolment=requested,
        by=school_user,
        startmoment=proposed,
        route=Route.CERTIFICAAT,
        certificaat=certificaat,
    )
    enrolment = Enrolment.objects.get(pk=requested.pk)
    assert enrolment.status == E.GEACCEPTEERD
    assert (enrolment.startmoment, enrolment.start_date) == (proposed, proposed.start_date)
    assert (enrolment.route, enrolment.certificaat) == (Route.CERTIFICAAT, certificaat)
    assert enrolment.route_confirmed_at is not None
    assert StartMoment.objects.get(pk=proposed.pk).places_taken == 1


def test_accepting_on_a_date_without_start_moment(requested, school_user):
    start = timezone.localdate() + dt.timedelta(days=10)
    services.enrolment_accept(
        enrolment=requested, by=school_user, start_date=start, route=Route.DIPLOMA
    )
    enrolment = Enrolment.objects.get(pk=requested.pk)
    assert (enrolment.start_date, enrolment.startmoment, enrolment.route) == (
        start,
        None,
        Route.DIPLOMA,
    )
    assert StartMoment.objects.get(pk=requested.startmoment_id).places_taken == 0


@pytest.mark.parametrize(
    "case",
    [
        "both",
        "neither",
        "full",
        "foreign_moment",
        "certificaat_missing",
        "certificaat_foreign",
        "certificaat_on_diploma",
    ],
)
def test_refused_acceptances_change_nothing(case, requested, school_user, leerbaan):
    proposed = requested.startmoment
    arguments = {"startmoment": proposed, "route": Route.DIPLOMA}
    if case == "both":
        arguments["start_date"] = timezone.localdate()
    elif case == "neither":
        arguments["startmoment"] = None
    elif case == "full":
        StartMoment.objects.filter(pk=proposed.pk).update(capacity=1, places_taken=1)
    elif case == "foreign_moment":
        arguments["startmoment"] = moment(far_school(leerbaan), 30)
    elif case == "certificaat_missing":
        arguments["route"] = Route.CERTIFICAAT
    elif case == "certificaat_foreign":
        arguments |= {
            "route": Route.CERTIFICAAT,
            "certificaat": certificaat_of(KwalificatieFactory()),
        }
    elif case == "certificaat_on_diploma":
        arguments["certificaat"] = certificaat_of(requested.kwalificatie)
    taken_before = StartMoment.objects.get(pk=proposed.pk).places_taken
    with pytest.raises(TransitionRefused) as refused:
        services.enrolment_accept(enrolment=requested, by=school_user, **arguments)
    assert refused.value.code == "rule"
    enrolment = Enrolment.objects.get(pk=requested.pk)
    assert (enrolment.status, enrolment.start_date) == (E.AANGEVRAAGD, None)
    assert StartMoment.objects.get(pk=proposed.pk).places_taken == taken_before


def test_another_school_may_not_accept(requested):
    other = UserFactory(organisation=OrganisationFactory(school=True))
    with pytest.raises(TransitionRefused) as refused:
        services.enrolment_accept(
            enrolment=requested, by=other, startmoment=requested.startmoment, route=Route.DIPLOMA
        )
    assert refused.value.code == "role"
    assert StartMoment.objects.get(pk=requested.startmoment_id).places_taken == 0


@pytest.mark.parametrize("accepted_state", [E.GEACCEPTEERD, E.GESTART])
def test_stopping_an_accepted_or_started_enrolment_releases_its_place(
    accepted_state, requested, school_user
):
    proposed = requested.startmoment
    services.enrolment_accept(
        enrolment=requested, by=school_user, startmoment=proposed, route=requested.route
    )
    if accepted_state == E.GESTART:
        Enrolment.objects.filter(pk=requested.pk).update(status=E.GESTART)
        type(requested.candidate).objects.filter(pk=requested.candidate_id).update(
            status="in_opleiding"
        )
    assert StartMoment.objects.get(pk=proposed.pk).places_taken == 1
    services.enrolment_stop(enrolment=requested, by=school_user, reason_code="gezondheid")
    assert Enrolment.objects.get(pk=requested.pk).status == E.GESTOPT
    assert StartMoment.objects.get(pk=proposed.pk).places_taken == 0


def test_stopping_a_request_takes_nothing_back(requested, consultant):
    proposed = requested.startmoment
    StartMoment.objects.filter(pk=proposed.pk).update(places_taken=1)
    services.enrolment_stop(enrolment=requested, by=consultant, reason_code="gezondheid")
    assert StartMoment.objects.get(pk=proposed.pk).places_taken == 1


# --- the acceptance page --------------------------------------------------------------------


def accept_url(enrolment):
    return reverse("trajecten:enrolment_transition", args=[enrolment.pk, "accept"])


def test_the_accept_page_offers_the_start_moments_with_their_room(client, requested, school_user):
    StartMoment.objects.filter(pk=requested.startmoment_id).update(capacity=20, places_taken=8)
    client.force_login(school_user)
    page = client.get(accept_url(requested)).content.decode()
    assert "(12 van 20 plaatsen vrij)" in page
    assert f'value="{requested.startmoment_id}" selected' in page
    assert f'value="{requested.route}"' in page


def test_the_accept_form_takes_a_start_moment_and_a_route(client, requested, school_user):
    client.force_login(school_user)
    response = client.post(
        accept_url(requested),
        {"startmoment": requested.startmoment_id, "route": Route.PRAKTIJKVERKLARING},
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(pk=requested.pk)
    assert (enrolment.status, enrolment.route) == (E.GEACCEPTEERD, Route.PRAKTIJKVERKLARING)
    assert enrolment.start_date == requested.startmoment.start_date


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"route": Route.DIPLOMA}, "startmoment"),
        ({"route": Route.DIPLOMA, "start_date": "2099-01-01"}, "start_date"),
        ({"route": Route.CERTIFICAAT, "start_date": "today"}, "certificaat"),
        ({"start_date": "today"}, "route"),
    ],
)
def test_the_accept_form_says_what_is_missing_at_the_field(
    data, field, client, requested, school_user
):
    client.force_login(school_user)
    if data.get("start_date") == "today":
        data["start_date"] = timezone.localdate().isoformat()
    response = client.post(accept_url(requested), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Enrolment.objects.get(pk=requested.pk).status == E.AANGEVRAAGD


def test_without_start_moments_the_school_gives_a_date(
    client, candidate, leerbaan, werkgever, school, school_user
):
    enrolment = request_for(candidate, leerbaan, werkgever)
    client.force_login(school_user)
    form = client.get(accept_url(enrolment)).context["form"]
    assert "startmoment" not in form.fields
    start = timezone.localdate() + dt.timedelta(days=20)
    client.post(accept_url(enrolment), {"start_date": start.isoformat(), "route": Route.DIPLOMA})
    assert Enrolment.objects.get(pk=enrolment.pk).start_date == start


def test_the_school_sees_the_leerbedrijf_praktijkopleider_and_start_moment(
    client, requested, school_user
):
    from leerbedrijven.models import Leerbaan
    from tests.leerbedrijven.factories import PraktijkopleiderFactory

    leerbaan = requested.leerbaan
    opleider = PraktijkopleiderFactory(
        leerbedrijf=leerbaan.leerbedrijf,
        vestiging=leerbaan.vestiging,
        naam="Petra Opleider",
        email="petra@example.nl",
    )
    Leerbaan.objects.filter(pk=leerbaan.pk).update(praktijkopleider=opleider)
    client.force_login(school_user)
    page = client.get(requested.get_absolute_url()).content.decode()
    assert "Petra Opleider" in page
    assert "petra@example.nl" in page
    assert escape(leerbaan.leerbedrijf.naam) in page
    assert "voorgesteld" in page.lower()
    assert requested.startmoment.aanbod.locaties.first().plaats in page
