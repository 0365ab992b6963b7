"""The werkgever's leerbedrijf: its profile page and forms (validation messages), and that no
page shows or changes another organisation's leerbedrijf."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leerbedrijven.forms import (
    ContactPersonForm,
    LeerbedrijfForm,
    PraktijkopleiderForm,
    VestigingForm,
)
from leerbedrijven.models import ContactPerson, Leerbedrijf, Praktijkopleider, Vestiging
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory, VoordrachtFactory
from tests.geo.factories import PostcodeFactory
from tests.leerbedrijven.factories import (
    ContactPersonFactory,
    ErkenningFactory,
    LeerbaanFactory,
    LeerbedrijfFactory,
    PraktijkopleiderFactory,
    VestigingFactory,
)
from tests.opleidingen.factories import KwalificatieFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leerbedrijf(werkgever):
    """Werkgever's leerbedrijf: one vestiging, erkend (BBL, open-ended) for one kwalificatie."""
    leerbedrijf = LeerbedrijfFactory(organisation=werkgever.organisation, naam="Bakkerij Jansen")
    VestigingFactory(leerbedrijf=leerbedrijf, naam="Bakkerij Jansen Utrecht")
    ErkenningFactory(leerbedrijf=leerbedrijf, geldig_tot=None)
    return leerbedrijf


def _errors(form, field):
    form.is_valid()
    return form.errors.get(field, [])


# --- the forms' messages ----------------------------------------------------------------------


@pytest.mark.parametrize("kvk", ["1234567", "123456789", "1234567a"])
def test_a_kvk_nummer_has_eight_digits(kvk):
    form = LeerbedrijfForm(data={"naam": "X", "kvk_nummer": kvk})
    assert _errors(form, "kvk_nummer") == ["Een KvK-nummer bestaat uit 8 cijfers, zoals 12345678."]


def test_a_kvk_nummer_may_be_typed_with_spaces_and_is_stored_as_digits(leerbedrijf):
    form = LeerbedrijfForm(
        data={"naam": "Bakkerij Jansen", "kvk_nummer": "8765 4321", "website": "jansen.nl"},
        instance=leerbedrijf,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["kvk_nummer"] == "87654321"
    assert form.cleaned_data["website"] == "https://jansen.nl"


def test_a_kvk_nummer_of_another_leerbedrijf_is_refused(leerbedrijf):
    other = LeerbedrijfFactory(kvk_nummer="55554444")
    form = LeerbedrijfForm(data={"naam": "X", "kvk_nummer": other.kvk_nummer}, instance=leerbedrijf)
    assert _errors(form, "kvk_nummer") == [
        "KvK-nummer 55554444 hoort al bij een ander leerbedrijf in het portaal."
    ]


def test_the_sbb_id_has_nine_digits(leerbedrijf):
    form = LeerbedrijfForm(
        data={"naam": "X", "kvk_nummer": leerbedrijf.kvk_nummer, "sbb_leerbedrijf_id": "12345"},
        instance=leerbedrijf,
    )
    assert _errors(form, "sbb_leerbedrijf_id") == [
        "Een SBB leerbedrijf-id bestaat uit 9 cijfers, zoals 100123456."
    ]


def _vestiging_data(**fields):
    return {
        "naam": "Filiaal Zeist",
        "vestigingsnummer": "000012345678",
        "straat": "Slotlaan 1",
        "postcode_text": "3701 ab",
        "plaats": "Zeist",
    } | fields


def test_a_vestigingsnummer_has_twelve_digits():
    form = VestigingForm(data=_vestiging_data(vestigingsnummer="12345"))
    assert _errors(form, "vestigingsnummer") == [
        "Een vestigingsnummer bestaat uit 12 cijfers, zoals 000012345678."
    ]


def test_a_vestigingsnummer_is_unique():
    VestigingFactory(vestigingsnummer="000012345678")
    PostcodeFactory(pc4="3701")
    form = VestigingForm(data=_vestiging_data())
    assert _errors(form, "vestigingsnummer") == [
        "Vestigingsnummer 000012345678 hoort al bij een andere vestiging in het portaal."
    ]


@pytest.mark.parametrize("postcode", ["3701", "370 AB", "3701 SA", "3701ABC"])
def test_a_postcode_is_four_digits_and_two_letters(postcode):
    PostcodeFactory(pc4="3701")
    form = VestigingForm(data=_vestiging_data(postcode_text=postcode))
    assert _errors(form, "postcode_text") == [
        "Vul een hele postcode in: vier cijfers en twee letters, zoals 3511 AB."
    ]


@pytest.mark.parametrize("postcode", ["0701 AB", "0000 AA"])
def test_a_postcode_that_starts_with_0_is_told_so(postcode):
    form = VestigingForm(data=_vestiging_data(postcode_text=postcode))
    assert _errors(form, "postcode_text") == [
        "Een Nederlandse postcode begint niet met 0, zoals 3511 AB."
    ]


def test_a_postcode_unknown_to_the_reference_data_is_refused():
    form = VestigingForm(data=_vestiging_data(postcode_text="9999 ZZ"))
    assert _errors(form, "postcode_text") == [
        "Postcode 9999 komt niet voor in de postcodetabel van het portaal. Controleer de cijfers."
    ]


def test_a_phone_number_is_checked_and_stored_in_e164():
    bad = ContactPersonForm(data={"naam": "Anna", "telefoon": "12345"})
    good = ContactPersonForm(data={"naam": "Anna", "telefoon": "030 - 123 45 67"})
    assert _errors(bad, "telefoon") == [
        "Dit is geen geldig telefoonnummer, zoals 06 12345678 of 030 1234567."
    ]
    assert good.is_valid(), good.errors
    assert good.cleaned_data["telefoon"] == "+31301234567"


def test_a_contact_person_needs_an_email_or_a_phone():
    form = ContactPersonForm(data={"naam": "Anna"})
    assert _errors(form, "email") == ["Vul een e-mailadres of een telefoonnummer in."]


def test_a_praktijkopleider_gets_only_the_leerbedrijfs_vestigingen_and_erkende_kwalificaties(
    leerbedrijf,
):
    today = timezone.localdate()
    ended = ErkenningFactory(leerbedrijf=leerbedrijf, geldig_tot=today - dt.timedelta(days=1))
    later = ErkenningFactory(
        leerbedrijf=leerbedrijf, geldig_van=today + dt.timedelta(days=30), geldig_tot=None
    )
    bol = ErkenningFactory(leerbedrijf=leerbedrijf, leerweg="BOL", geldig_tot=None)
    elsewhere = ErkenningFactory(geldig_tot=None)
    foreign_vestiging = VestigingFactory()

    form = PraktijkopleiderForm(leerbedrijf=leerbedrijf)

    offered = set(form.fields["kwalificaties"].queryset)
    assert later.kwalificatie in offered
    assert not offered & {ended.kwalificatie, bol.kwalificatie, elsewhere.kwalificatie}
    assert set(form.fields["vestiging"].queryset) == set(leerbedrijf.vestigingen.all())
    assert foreign_vestiging not in form.fields["vestiging"].queryset


def test_a_praktijkopleider_form_refuses_what_is_not_the_leerbedrijfs(leerbedrijf):
    foreign = VestigingFactory()
    not_erkend = KwalificatieFactory()
    form = PraktijkopleiderForm(
        data={
            "naam": "Piet",
            "vestiging": foreign.pk,
            "kwalificaties": [not_erkend.pk],
            "capacity": "0",
        },
        leerbedrijf=leerbedrijf,
    )
    form.is_valid()
    assert form.errors["vestiging"] == ["Kies een vestiging van dit leerbedrijf."]
    assert form.errors["kwalificaties"] == [
        "Kies alleen kwalificaties waarvoor het leerbedrijf nu of later erkend is (BBL)."
    ]
    assert form.errors["capacity"] == ["Een praktijkopleider begeleidt ten minste 1 kandidaat."]


# --- the pages --------------------------------------------------------------------------------


def test_mijn_leerbedrijf_opens_the_only_leerbedrijf(client, werkgever, leerbedrijf):
    client.force_login(werkgever)
    response = client.get(reverse("leerbedrijven:leerbedrijf_list"))
    assert response.status_code == 302
    assert response["Location"] == leerbedrijf.get_absolute_url()
    assert "Mijn leerbedrijf" in client.get(leerbedrijf.get_absolute_url()).content.decode()


def test_an_organisation_with_two_leerbedrijven_chooses(client, werkgever, leerbedrijf):
    second = LeerbedrijfFactory(organisation=werkgever.organisation, naam="Bakkerij Jansen Oost")
    LeerbedrijfFactory(naam="Concurrent BV")
    client.force_login(werkgever)
    html = client.get(reverse("leerbedrijven:leerbedrijf_list")).content.decode()
    assert second.get_absolute_url() in html
    assert leerbedrijf.get_absolute_url() in html
    assert "Concurrent BV" not in html


def test_the_profile_shows_each_opleiders_candidates_against_capacity(
    client, werkgever, consultant, leerbedrijf
):
    vestiging = leerbedrijf.vestigingen.get()
    kwalificatie = leerbedrijf.erkenningen.get().kwalificatie
    opleider = PraktijkopleiderFactory(
        leerbedrijf=leerbedrijf,
        vestiging=vestiging,
        naam="Petra de Graaf",
        capacity=3,
        telefoon="+31612345678",
        kwalificaties=[kwalificatie],
    )
    leerbaan = _leerbaan(leerbedrijf, vestiging, kwalificatie, opleider)
    VoordrachtFactory(
        candidate=CandidateFactory(consultant=consultant, status="geplaatst"),
        leerbaan=leerbaan,
        status="aangenomen",
    )
    ContactPersonFactory(leerbedrijf=leerbedrijf, naam="Anna Smit", telefoon="+31301234567")
    colleague = UserFactory(
        organisation=werkgever.organisation,
        first_name="Kees",
        last_name="Bos",
        is_organisation_admin=True,
    )
    client.force_login(werkgever)

    html = client.get(leerbedrijf.get_absolute_url()).content.decode()

    assert "Petra de Graaf" in html
    assert "1 van 3" in html
    assert "06 12345678" in html  # shown as written in the Netherlands
    assert "Anna Smit" in html
    assert "030 123 4567" in html
    assert "Kees Bos" in html
    assert colleague.email in html
    assert "Beheerder van de organisatie" in html


def _leerbaan(leerbedrijf, vestiging, kwalificatie, opleider):
    return LeerbaanFactory(
        leerbedrijf=leerbedrijf,
        vestiging=vestiging,
        kwalificatie=kwalificatie,
        praktijkopleider=opleider,
        erkend=False,
    )


def test_adding_a_vestiging_stores_the_pc4_and_its_letters(client, werkgever, leerbedrijf):
    PostcodeFactory(pc4="3701")
    client.force_login(werkgever)
    response = client.post(
        reverse("leerbedrijven:vestiging_create", args=[leerbedrijf.pk]), _vestiging_data()
    )
    assert response.status_code == 302
    vestiging = Vestiging.objects.get(vestigingsnummer="000012345678")
    assert (vestiging.leerbedrijf, vestiging.postcode_id, vestiging.postcode_letters) == (
        leerbedrijf,
        "3701",
        "AB",
    )


def test_adding_a_praktijkopleider(client, werkgever, leerbedrijf):
    kwalificatie = leerbedrijf.erkenningen.get().kwalificatie
    client.force_login(werkgever)
    response = client.post(
        reverse("leerbedrijven:praktijkopleider_create", args=[leerbedrijf.pk]),
        {
            "naam": "Petra de Graaf",
            "email": "petra@jansen.example",
            "telefoon": "06 1234 5678",
            "vestiging": leerbedrijf.vestigingen.get().pk,
            "kwalificaties": [kwalificatie.pk],
            "capacity": "2",
        },
    )
    assert response.status_code == 302
    opleider = Praktijkopleider.objects.get(leerbedrijf=leerbedrijf)
    assert (opleider.capacity, opleider.telefoon, opleider.is_active) == (2, "+31612345678", True)
    assert list(opleider.kwalificaties.all()) == [kwalificatie]


def test_deactivating_and_activating_a_praktijkopleider(client, werkgever, leerbedrijf):
    opleider = PraktijkopleiderFactory(
        leerbedrijf=leerbedrijf, vestiging=leerbedrijf.vestigingen.get()
    )
    client.force_login(werkgever)
    client.post(reverse("leerbedrijven:praktijkopleider_deactivate", args=[opleider.pk]))
    assert not Praktijkopleider.objects.get(pk=opleider.pk).is_active
    client.post(reverse("leerbedrijven:praktijkopleider_activate", args=[opleider.pk]))
    assert Praktijkopleider.objects.get(pk=opleider.pk).is_active


def test_deleting_a_contact_person(client, werkgever, leerbedrijf):
    person = ContactPersonFactory(leerbedrijf=leerbedrijf)
    client.force_login(werkgever)
    url = reverse("leerbedrijven:contactperson_delete", args=[person.pk])
    assert client.get(url).status_code == 200
    assert ContactPerson.objects.filter(pk=person.pk).exists()
    client.post(url)
    assert not ContactPerson.objects.filter(pk=person.pk).exists()


def test_the_profile_runs_as_many_queries_for_many_rows(client, werkgever, consultant, leerbedrijf):
    kwalificatie = leerbedrijf.erkenningen.get().kwalificatie

    def add(n):
        for _ in range(n):
            vestiging = VestigingFactory(leerbedrijf=leerbedrijf)
            opleider = PraktijkopleiderFactory(
                leerbedrijf=leerbedrijf, vestiging=vestiging, kwalificaties=[kwalificatie]
            )
            ContactPersonFactory(leerbedrijf=leerbedrijf)
            UserFactory(organisation=werkgever.organisation)
            VoordrachtFactory(
                candidate=CandidateFactory(consultant=consultant, status="geplaatst"),
                leerbaan=_leerbaan(leerbedrijf, vestiging, kwalificatie, opleider),
                status="aangenomen",
            )

    client.force_login(werkgever)
    counts = []
    for n in (3, 20):
        add(n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(leerbedrijf.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- scoping: another organisation's leerbedrijf is a 404 -------------------------------------


def _foreign_urls(leerbedrijf):
    vestiging = leerbedrijf.vestigingen.get()
    person = ContactPersonFactory(leerbedrijf=leerbedrijf, naam="Anna Geheimhouders")
    opleider = PraktijkopleiderFactory(
        leerbedrijf=leerbedrijf, vestiging=vestiging, naam="Piet Geheimhouders"
    )
    return [
        leerbedrijf.get_absolute_url(),
        reverse("leerbedrijven:leerbedrijf_edit", args=[leerbedrijf.pk]),
        reverse("leerbedrijven:vestiging_create", args=[leerbedrijf.pk]),
        reverse("leerbedrijven:vestiging_edit", args=[vestiging.pk]),
        reverse("leerbedrijven:contactperson_create", args=[leerbedrijf.pk]),
        reverse("leerbedrijven:contactperson_edit", args=[person.pk]),
        reverse("leerbedrijven:contactperson_delete", args=[person.pk]),
        reverse("leerbedrijven:praktijkopleider_create", args=[leerbedrijf.pk]),
        reverse("leerbedrijven:praktijkopleider_edit", args=[opleider.pk]),
        reverse("leerbedrijven:praktijkopleider_deactivate", args=[opleider.pk]),
        reverse("leerbedrijven:praktijkopleider_activate", args=[opleider.pk]),
    ]


def test_a_werkgever_of_another_organisation_gets_404_and_changes_nothing(
    client, werkgever_b, leerbedrijf
):
    urls = _foreign_urls(leerbedrijf)
    LeerbedrijfFactory(organisation=werkgever_b.organisation)  # B has a leerbedrijf of its own
    before = (
        list(Leerbedrijf.objects.values_list("naam", "kvk_nummer")),
        list(Praktijkopleider.objects.values_list("naam", "is_active", "capacity")),
        list(ContactPerson.objects.values_list("naam")),
    )
    client.force_login(werkgever_b)
    for url in urls:
        for response in (client.get(url), client.post(url, {"naam": "Overgenomen"})):
            assert response.status_code in (404, 405), (url, response.status_code)
            assert "Geheimhouders" not in response.content.decode()
            assert "Bakkerij Jansen" not in response.content.decode()
    after = (
        list(Leerbedrijf.objects.values_list("naam", "kvk_nummer")),
        list(Praktijkopleider.objects.values_list("naam", "is_active", "capacity")),
        list(ContactPerson.objects.values_list("naam")),
    )
    assert after == before
    # B's own list shows B's leerbedrijf, never A's.
    html = client.get(reverse("leerbedrijven:leerbedrijf_list"), follow=True).content.decode()
    assert "Bakkerij Jansen" not in html


def test_other_roles_are_refused(client, consultant, leerbedrijf):
    urls = _foreign_urls(leerbedrijf)
    school = UserFactory(organisation=OrganisationFactory(school=True))
    for user in (consultant, school):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code in (403, 405), url


def test_a_praktijkopleider_cannot_be_put_at_another_leerbedrijfs_vestiging_by_post(
    client, werkgever, werkgever_b, leerbedrijf
):
    """A forged POST with B's vestiging id is refused by the form, not saved."""
    foreign = VestigingFactory(
        leerbedrijf=LeerbedrijfFactory(organisation=werkgever_b.organisation)
    )
    opleider = PraktijkopleiderFactory(
        leerbedrijf=leerbedrijf,
        vestiging=leerbedrijf.vestigingen.get(),
        kwalificaties=[leerbedrijf.erkenningen.get().kwalificatie],
    )
    client.force_login(werkgever)
    response = client.post(
        reverse("leerbedrijven:praktijkopleider_edit", args=[opleider.pk]),
        {
            "naam": opleider.naam,
            "vestiging": foreign.pk,
            "kwalificaties": [leerbedrijf.erkenningen.get().kwalificatie.pk],
            "capacity": "1",
        },
    )
    assert response.status_code == 200
    assert "Kies een vestiging van dit leerbedrijf." in response.content.decode()
    assert Praktijkopleider.objects.get(pk=opleider.pk).vestiging_id != foreign.pk


# --- the admin --------------------------------------------------------------------------------


def test_the_admin_refuses_a_vestiging_of_another_leerbedrijf(client, leerbedrijf):
    beheer = UserFactory(
        organisation=OrganisationFactory(beheer=True), is_staff=True, is_superuser=True
    )
    foreign = VestigingFactory()
    client.force_login(beheer)
    response = client.post(
        reverse("admin:leerbedrijven_praktijkopleider_add"),
        {
            "leerbedrijf": leerbedrijf.pk,
            "vestiging": foreign.pk,
            "naam": "Piet",
            "kwalificaties": [leerbedrijf.erkenningen.get().kwalificatie.pk],
            "capacity": "1",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "Deze vestiging hoort niet bij het leerbedrijf." in response.content.decode()
    assert not Praktijkopleider.objects.exists()


def test_the_leerbedrijf_admin_shows_its_people_inline(client, leerbedrijf):
    beheer = UserFactory(
        organisation=OrganisationFactory(beheer=True), is_staff=True, is_superuser=True
    )
    ContactPersonFactory(leerbedrijf=leerbedrijf, naam="Anna Smit")
    PraktijkopleiderFactory(
        leerbedrijf=leerbedrijf, vestiging=leerbedrijf.vestigingen.get(), naam="Petra de Graaf"
    )
    client.force_login(beheer)
    html = client.get(
        reverse("admin:leerbedrijven_leerbedrijf_change", args=[leerbedrijf.pk])
    ).content.decode()
    assert "Contactpersonen" in html
    assert "Anna Smit" in html
    assert "Praktijkopleiders" in html
    assert "Petra de Graaf" in html
