"""The programme per route (``trajecten.programmes``): what each route puts in, who may change
it and when, the three agreements (cleared by a change), keuzedelen and vrijstellingen; and the
programme page for school, werkgever and consultant."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from opleidingen.constants import KerntaakDeel, Route
from opleidingen.models import Certificaat
from praktijkleren.workflow import TransitionRefused
from tests.opleidingen.factories import KerntaakFactory, KwalificatieFactory, WerkprocesFactory
from tests.trajecten.programme_world import build
from trajecten import programmes
from trajecten.constants import EnrolmentStatus, GenericPart, ProgrammeItemKind
from trajecten.models import Enrolment, ProgrammeItem, Vrijstelling

pytestmark = pytest.mark.django_db
E = EnrolmentStatus
TODAY = timezone.localdate


def _kinds(enrolment):
    return sorted(enrolment.programme.values_list("kind", flat=True))


# --- praktijkverklaring -----------------------------------------------------------------------


def test_praktijkverklaring_the_school_chooses_from_the_kwalificatie_when_the_leerbaan_names_none():
    w = build(route=Route.PRAKTIJKVERKLARING, status=E.GEACCEPTEERD)
    available = programmes.programme_werkprocessen_available(enrolment=w.enrolment)
    assert set(available) == set(w.werkprocessen)
    programmes.programme_set(enrolment=w.enrolment, by=w.school, werkprocessen=w.werkprocessen[:2])
    assert set(w.enrolment.programme.values_list("werkproces", flat=True)) == {
        w.werkprocessen[0].pk,
        w.werkprocessen[1].pk,
    }


def test_praktijkverklaring_offers_the_leerbaans_werkprocessen_of_several_kwalificaties():
    w = build(route=Route.PRAKTIJKVERKLARING, status=E.GEACCEPTEERD)
    other = KwalificatieFactory()
    elsewhere = WerkprocesFactory(
        kerntaak=KerntaakFactory(
            dossier=other.dossier, deel=KerntaakDeel.PROFIEL, kwalificatie=other, code="P1-K1"
        )
    )
    w.enrolment.leerbaan.werkprocessen.set([w.werkprocessen[0], elsewhere])
    available = programmes.programme_werkprocessen_available(enrolment=w.enrolment)
    assert set(available) == {w.werkprocessen[0], elsewhere}
    programmes.programme_set(
        enrolment=w.enrolment, by=w.school, werkprocessen=[w.werkprocessen[0], elsewhere]
    )
    assert w.enrolment.programme.count() == 2
    with pytest.raises(TransitionRefused, match="alleen werkprocessen"):
        programmes.programme_set(
            enrolment=w.enrolment, by=w.school, werkprocessen=[w.werkprocessen[1]]
        )


def test_praktijkverklaring_needs_at_least_one_werkproces():
    w = build(route=Route.PRAKTIJKVERKLARING, status=E.GEACCEPTEERD)
    with pytest.raises(TransitionRefused, match="ten minste één"):
        programmes.programme_set(enrolment=w.enrolment, by=w.school, werkprocessen=[])


def test_choosing_again_keeps_confirmed_werkprocessen():
    w = build(route=Route.PRAKTIJKVERKLARING)
    programmes.programme_set(enrolment=w.enrolment, by=w.school, werkprocessen=w.werkprocessen)
    ProgrammeItem.objects.filter(werkproces=w.werkprocessen[0]).update(
        confirmed_on=TODAY(), confirmed_role="school"
    )
    with pytest.raises(TransitionRefused, match="bevestigd"):
        programmes.programme_set(
            enrolment=w.enrolment, by=w.school, werkprocessen=w.werkprocessen[1:]
        )
    programmes.programme_set(enrolment=w.enrolment, by=w.school, werkprocessen=w.werkprocessen[:1])
    assert w.enrolment.programme.count() == 1


# --- certificaat ------------------------------------------------------------------------------


def _certificaat(w, *, kerntaak=None, werkprocessen=()):
    certificaat = Certificaat.objects.create(code="CERT-1", naam="Deelcertificaat")
    certificaat.kwalificaties.add(w.enrolment.kwalificatie)
    certificaat.werkprocessen.set(werkprocessen)
    if kerntaak is not None:
        certificaat.kerntaken.add(kerntaak)
    Enrolment.objects.filter(pk=w.enrolment.pk).update(certificaat=certificaat)
    w.enrolment.refresh_from_db()
    return certificaat


def test_certificaat_programme_is_the_certificates_werkprocessen_and_those_of_its_kerntaken():
    w = build(route=Route.CERTIFICAAT, status=E.GEACCEPTEERD)
    kerntaak = KerntaakFactory(dossier=w.enrolment.kwalificatie.dossier, code="B9-K1")
    of_kerntaak = WerkprocesFactory.create_batch(2, kerntaak=kerntaak)
    _certificaat(w, kerntaak=kerntaak, werkprocessen=[w.werkprocessen[0]])
    programmes.programme_set(enrolment=w.enrolment, by=w.school)
    assert set(w.enrolment.programme.values_list("werkproces", flat=True)) == {
        w.werkprocessen[0].pk,
        *(wp.pk for wp in of_kerntaak),
    }
    assert _kinds(w.enrolment) == ["werkproces"] * 3


def test_certificaat_programme_is_refused_without_certificaat_or_known_werkprocessen():
    w = build(route=Route.CERTIFICAAT, status=E.GEACCEPTEERD)
    with pytest.raises(TransitionRefused, match="nog geen mbo-certificaat"):
        programmes.programme_set(enrolment=w.enrolment, by=w.school)
    _certificaat(w)
    with pytest.raises(TransitionRefused, match="niet bekend"):
        programmes.programme_set(enrolment=w.enrolment, by=w.school)


# --- diploma ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("niveau", "parts"), [(3, 3), (4, 4)])
def test_diploma_programme_is_all_werkprocessen_and_the_generic_parts(niveau, parts):
    w = build(route=Route.DIPLOMA, status=E.GEACCEPTEERD, niveau=niveau)
    programmes.programme_set(enrolment=w.enrolment, by=w.school)
    assert _kinds(w.enrolment) == ["generiek"] * parts + ["werkproces"] * 3
    has_engels = w.enrolment.programme.filter(generic_part=GenericPart.ENGELS).exists()
    assert has_engels == (niveau == 4)
    programmes.programme_set(enrolment=w.enrolment, by=w.school)  # again: nothing doubles
    assert w.enrolment.programme.count() == parts + 3


def test_diploma_without_known_werkprocessen_gets_only_the_generic_parts():
    w = build(route=Route.DIPLOMA, status=E.GEACCEPTEERD)
    Enrolment.objects.filter(pk=w.enrolment.pk).update(kwalificatie=KwalificatieFactory())
    w.enrolment.refresh_from_db()
    assert not programmes.programme_werkprocessen_available(enrolment=w.enrolment).exists()
    programmes.programme_set(enrolment=w.enrolment, by=w.school)
    assert _kinds(w.enrolment) == ["generiek"] * 3


def test_keuzedeel_by_its_code_once_on_a_diploma_route_only():
    w = build(route=Route.DIPLOMA, status=E.GEACCEPTEERD)
    item = programmes.programme_keuzedeel_add(
        enrolment=w.enrolment, by=w.school, label="  K0123   Ondernemend gedrag "
    )
    assert item.kind == ProgrammeItemKind.KEUZEDEEL
    assert item.label == "K0123 Ondernemend gedrag"
    with pytest.raises(TransitionRefused, match="al in het programma"):
        programmes.programme_keuzedeel_add(enrolment=w.enrolment, by=w.school, label="K0123")
    for bad in ("Ondernemend gedrag", "K123 Kort", "k0123", "K01234"):
        with pytest.raises(TransitionRefused, match="K en vier cijfers"):
            programmes.programme_keuzedeel_add(enrolment=w.enrolment, by=w.school, label=bad)
    pv = build(route=Route.PRAKTIJKVERKLARING, status=E.GEACCEPTEERD)
    with pytest.raises(TransitionRefused, match="diploma"):
        programmes.programme_keuzedeel_add(enrolment=pv.enrolment, by=pv.school, label="K0123")


def test_removing_a_keuzedeel_or_chosen_werkproces_but_not_a_fixed_part():
    w = build(route=Route.DIPLOMA, status=E.GEACCEPTEERD)
    programmes.programme_set(enrolment=w.enrolment, by=w.school)
    keuzedeel = programmes.programme_keuzedeel_add(
        enrolment=w.enrolment, by=w.school, label="K0123"
    )
    programmes.programme_item_remove(enrolment=w.enrolment, by=w.school, item=keuzedeel)
    assert not w.enrolment.programme.filter(kind=ProgrammeItemKind.KEUZEDEEL).exists()
    fixed = w.enrolment.programme.filter(kind=ProgrammeItemKind.WERKPROCES).first()
    with pytest.raises(TransitionRefused, match="vrijstelling"):
        programmes.programme_item_remove(enrolment=w.enrolment, by=w.school, item=fixed)
    pv = build(route=Route.PRAKTIJKVERKLARING, status=E.GEACCEPTEERD)
    programmes.programme_set(enrolment=pv.enrolment, by=pv.school, werkprocessen=pv.werkprocessen)
    chosen = pv.enrolment.programme.first()
    programmes.programme_item_remove(enrolment=pv.enrolment, by=pv.school, item=chosen)
    assert pv.enrolment.programme.count() == 2


# --- who and when -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["werkgever", "consultant", "stranger_school"])
def test_only_the_enrolments_school_changes_the_programme(who):
    w = build(route=Route.DIPLOMA, status=E.GEACCEPTEERD)
    user = w.strangers["school"] if who == "stranger_school" else getattr(w, who)
    for write in (
        lambda: programmes.programme_set(enrolment=w.enrolment, by=user),
        lambda: programmes.programme_keuzedeel_add(enrolment=w.enrolment, by=user, label="K0001"),
        lambda: programmes.vrijstelling_add(
            enrolment=w.enrolment, by=user, ground="evc", granted_on=TODAY(), onderdeel="Rekenen"
        ),
    ):
        with pytest.raises(TransitionRefused) as refused:
            write()
        assert refused.value.code == "role"
    assert not w.enrolment.programme.exists()


@pytest.mark.parametrize("status", [E.AANGEVRAAGD, E.AFGEROND, E.GESTOPT])
def test_the_programme_changes_only_while_geaccepteerd_or_gestart(status):
    w = build(route=Route.DIPLOMA, status=E.GEACCEPTEERD)
    Enrolment.objects.filter(pk=w.enrolment.pk).update(status=status, end_reason="x")
    with pytest.raises(TransitionRefused) as refused:
        programmes.programme_set(enrolment=w.enrolment, by=w.school)
    assert refused.value.code == "state"
    with pytest.raises(TransitionRefused) as refused:
        programmes.programme_agree(enrolment=w.enrolment, by=w.werkgever, party="leerbedrijf")
    assert refused.value.code == "state"


# --- agreements -------------------------------------------------------------------------------


def test_three_parties_agree_and_a_change_clears_their_agreements():
    w = build(route=Route.DIPLOMA, status=E.GEACCEPTEERD)
    with pytest.raises(TransitionRefused, match="leeg"):
        programmes.programme_agree(enrolment=w.enrolment, by=w.school, party="school")
    programmes.programme_set(enrolment=w.enrolment, by=w.school)
    yesterday = TODAY() - dt.timedelta(days=1)
    programmes.programme_agree(enrolment=w.enrolment, by=w.school, party="school")
    programmes.programme_agree(enrolment=w.enrolment, by=w.school, party="candidate", on=yesterday)
    programmes.programme_agree(enrolment=w.enrolment, by=w.werkgever, party="leerbedrijf")
    w.enrolment.refresh_from_db()
    assert w.enrolment.programme_agreed_by_school == TODAY()
    assert w.enrolment.programme_agreed_by_candidate == yesterday
    assert w.enrolment.programme_agreed_by_leerbedrijf == TODAY()
    assert programmes.agreements_missing(w.enrolment) == []
    programmes.programme_keuzedeel_add(enrolment=w.enrolment, by=w.school, label="K0123")
    w.enrolment.refresh_from_db()
    assert len(programmes.agreements_missing(w.enrolment)) == 3


def test_agreement_refusals_role_and_date():
    w = build(route=Route.DIPLOMA, status=E.GEACCEPTEERD)
    programmes.programme_set(enrolment=w.enrolment, by=w.school)
    refusals = [
        (w.werkgever, "school"),
        (w.werkgever, "candidate"),
        (w.school, "leerbedrijf"),
        (w.consultant, "leerbedrijf"),
        (w.strangers["werkgever"], "leerbedrijf"),
    ]
    for user, party in refusals:
        with pytest.raises(TransitionRefused) as refused:
            programmes.programme_agree(enrolment=w.enrolment, by=user, party=party)
        assert refused.value.code == "role", (user, party)
    with pytest.raises(TransitionRefused, match="toekomst"):
        programmes.programme_agree(
            enrolment=w.enrolment,
            by=w.school,
            party="candidate",
            on=TODAY() + dt.timedelta(days=1),
        )


# --- vrijstellingen ---------------------------------------------------------------------------


def test_vrijstelling_for_a_werkproces_or_another_part_on_a_diploma_route():
    w = build(route=Route.DIPLOMA, status=E.GEACCEPTEERD)
    programmes.programme_set(enrolment=w.enrolment, by=w.school)
    programmes.vrijstelling_add(
        enrolment=w.enrolment,
        by=w.school,
        werkproces=w.werkprocessen[0],
        ground="werkervaring",
        explanation="Tien jaar in de thuiszorg.",
        granted_on=TODAY(),
    )
    programmes.vrijstelling_add(
        enrolment=w.enrolment,
        by=w.school,
        onderdeel="Nederlands",
        ground="vooropleiding",
        granted_on=TODAY(),
    )
    assert Vrijstelling.objects.filter(enrolment=w.enrolment).count() == 2


def test_vrijstelling_refusals():
    w = build(route=Route.DIPLOMA, status=E.GEACCEPTEERD)
    outside = WerkprocesFactory()
    cases = [
        ({"werkproces": outside, "ground": "evc"}, "niet in het programma"),
        ({"ground": "evc"}, "één onderdeel"),
        ({"ground": "evc", "onderdeel": "X", "werkproces": w.werkprocessen[0]}, "één onderdeel"),
        ({"ground": "loterij", "onderdeel": "X"}, "grond"),
        (
            {"ground": "evc", "onderdeel": "X", "granted_on": TODAY() + dt.timedelta(days=1)},
            "toekomst",
        ),
    ]
    for kwargs, message in cases:
        kwargs = {"granted_on": TODAY(), **kwargs}
        with pytest.raises(TransitionRefused, match=message):
            programmes.vrijstelling_add(enrolment=w.enrolment, by=w.school, **kwargs)
    pv = build(route=Route.CERTIFICAAT, status=E.GEACCEPTEERD)
    with pytest.raises(TransitionRefused, match="diploma"):
        programmes.vrijstelling_add(
            enrolment=pv.enrolment, by=pv.school, ground="evc", onderdeel="X", granted_on=TODAY()
        )


# --- the page ---------------------------------------------------------------------------------


def test_the_programme_page_for_school_werkgever_and_consultant(client):
    w = build(route=Route.PRAKTIJKVERKLARING, status=E.GEACCEPTEERD)
    url = reverse("trajecten:programme", kwargs={"pk": w.enrolment.pk})
    client.force_login(w.school)
    response = client.post(
        url, {"action": "set", "werkprocessen": [str(w.werkprocessen[0].pk)]}, follow=True
    )
    assert response.status_code == 200
    assert w.enrolment.programme.count() == 1
    assert str(w.werkprocessen[0]) in response.content.decode()
    # An invalid form answers at the field, not with a 500.
    response = client.post(url, {"action": "agree_candidate", "on": "morgen"})
    assert response.status_code == 200
    client.force_login(w.werkgever)
    page = client.get(url).content.decode()
    assert "Akkoord namens het leerbedrijf" in page
    assert w.enrolment.candidate.last_name not in page
    client.post(url, {"action": "agree_leerbedrijf"})
    assert Enrolment.objects.get(pk=w.enrolment.pk).programme_agreed_by_leerbedrijf == TODAY()
    client.force_login(w.school)
    response = client.post(
        url, {"action": "set", "werkprocessen": [str(w.werkprocessen[2].pk)]}, follow=True
    )
    assert "akkoorden zijn daarmee vervallen" in response.content.decode()
    assert Enrolment.objects.get(pk=w.enrolment.pk).programme_agreed_by_leerbedrijf is None
    client.post(url, {"action": "set", "werkprocessen": [str(w.werkprocessen[0].pk)]})
    client.force_login(w.werkgever)
    client.post(url, {"action": "set", "werkprocessen": [str(w.werkprocessen[1].pk)]})
    assert w.enrolment.programme.count() == 1  # the werkgever does not edit
    client.force_login(w.consultant)
    assert client.get(url).status_code == 200
    client.post(url, {"action": "agree_school"})
    assert Enrolment.objects.get(pk=w.enrolment.pk).programme_agreed_by_school is None


def test_the_programme_page_says_when_werkprocessen_are_unknown(client):
    w = build(route=Route.DIPLOMA, status=E.GEACCEPTEERD)
    Enrolment.objects.filter(pk=w.enrolment.pk).update(kwalificatie=KwalificatieFactory())
    client.force_login(w.school)
    page = client.get(reverse("trajecten:programme", kwargs={"pk": w.enrolment.pk}))
    assert "niet bekend" in page.content.decode()


@pytest.mark.parametrize("route", [Route.PRAKTIJKVERKLARING, Route.CERTIFICAAT, Route.DIPLOMA])
@pytest.mark.parametrize("status", [E.GEACCEPTEERD, E.GESTART, E.AFGEROND])
def test_the_pages_render_for_every_route_state_and_party(client, route, status):
    w = build(route=route, status=E.GEACCEPTEERD)
    if route != Route.CERTIFICAAT:
        programmes.programme_set(
            enrolment=w.enrolment,
            by=w.school,
            werkprocessen=w.werkprocessen if route == Route.PRAKTIJKVERKLARING else None,
        )
    Enrolment.objects.filter(pk=w.enrolment.pk).update(status=status)
    for user in (w.school, w.werkgever, w.consultant):
        client.force_login(user)
        for name in ("trajecten:programme", "trajecten:progress", "trajecten:enrolment_detail"):
            response = client.get(reverse(name, kwargs={"pk": w.enrolment.pk}))
            assert response.status_code == 200, (name, user)
    client.force_login(w.strangers["school"])
    assert (
        client.get(reverse("trajecten:programme", kwargs={"pk": w.enrolment.pk})).status_code == 404
    )
