"""The werkgever's leerbaan pages: post (two steps for the werkprocessen, without
JavaScript), edit, extend and close from the list, upload; "Mijn leerbanen"; and that no page
shows or changes another werkgever's leerbanen."""

import datetime as dt
from html import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.models import Leerbaan
from leerbedrijven.services import leerbaan_create
from tests.candidates.factories import VoordrachtFactory
from tests.leerbedrijven.factories import ErkenningFactory, LeerbedrijfFactory
from tests.leerbedrijven.posting import posting_make
from tests.leerbedrijven.test_leerbaan_upload import _csv, _row

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return posting_make()


def _form_data(p, **changes):
    today = timezone.localdate()
    data = {
        "leerbedrijf": p.leerbedrijf.pk,
        "titel": "Helpende in de thuiszorg",
        "omschrijving": "",
        "vestiging": p.vestiging.pk,
        "kwalificatie": p.kwalificatie.pk,
        "werkprocessen": [p.werkprocessen[0].pk, p.werkprocessen[2].pk],
        "routes": ["praktijkverklaring", "certificaat"],
        "hours_per_week": 20,
        "places": 1,
        "start_date": (today + dt.timedelta(days=50)).isoformat(),
        "closing_date": (today + dt.timedelta(days=20)).isoformat(),
        "praktijkopleider": p.opleider.pk,
        "external_ref": "",
    }
    data.update(changes)
    return data


def test_the_form_lists_the_kwalificaties_and_their_werkprocessen_after_choosing(client, p):
    other = ErkenningFactory(leerbedrijf=p.leerbedrijf, geldig_van=p.erkenning.geldig_van)
    client.force_login(p.user)
    url = reverse("leerbedrijven:leerbaan_create")
    page = client.get(url).content.decode()
    assert p.kwalificatie.crebo in page
    assert other.kwalificatie.crebo in page
    assert p.werkprocessen[0].code not in page  # no kwalificatie chosen yet
    refreshed = client.post(
        url,
        {
            "leerbedrijf": p.leerbedrijf.pk,
            "kwalificatie": p.kwalificatie.pk,
            "titel": "Bewaard",
            "werkprocessen_kiezen": "1",
        },
    )
    html = refreshed.content.decode()
    assert refreshed.status_code == 200
    assert all(w.code in html for w in p.werkprocessen)
    assert 'value="Bewaard"' in html  # what was typed stays
    assert "Er ging iets mis" not in html  # a refresh shows no errors
    assert not Leerbaan.objects.exists()


def test_the_only_vestiging_kwalificatie_and_praktijkopleider_are_chosen_already(client, p):
    client.force_login(p.user)
    form = client.get(reverse("leerbedrijven:leerbaan_create")).context["form"]
    assert form.initial["vestiging"] == p.vestiging.pk
    assert form.initial["kwalificatie"] == p.kwalificatie.pk
    assert form.initial["praktijkopleider"] == p.opleider.pk
    html = client.get(reverse("leerbedrijven:leerbaan_create")).content.decode()
    assert all(w.code in html for w in p.werkprocessen)


def test_too_many_places_and_a_closing_date_after_the_start_are_refused(client, p):
    client.force_login(p.user)
    start = timezone.localdate() + dt.timedelta(days=50)
    data = _form_data(
        p,
        publiceren="1",
        places=99999999999,
        closing_date=(start + dt.timedelta(days=1)).isoformat(),
        start_date=start.isoformat(),
    )
    response = client.post(reverse("leerbedrijven:leerbaan_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["places"] == ["Zorg ervoor dat deze waarde hoogstens 999 is."]
    assert not Leerbaan.objects.exists()
    data["places"] = 2
    response = client.post(reverse("leerbedrijven:leerbaan_create"), data)
    assert response.context["form"].errors["closing_date"] == [
        "De sluitingsdatum moet op of vóór de startdatum liggen."
    ]


def test_posting_and_publishing_through_the_form(client, p):
    client.force_login(p.user)
    response = client.post(reverse("leerbedrijven:leerbaan_create"), _form_data(p, publiceren="1"))
    leerbaan = Leerbaan.objects.get(leerbedrijf=p.leerbedrijf)
    assert response.status_code == 302
    assert response["Location"] == leerbaan.get_absolute_url()
    assert leerbaan.status == LeerbaanStatus.GEPUBLICEERD
    assert leerbaan.routes() == ["praktijkverklaring", "certificaat"]
    assert set(leerbaan.werkprocessen.all()) == {p.werkprocessen[0], p.werkprocessen[2]}


def test_saving_as_concept(client, p):
    client.force_login(p.user)
    client.post(reverse("leerbedrijven:leerbaan_create"), _form_data(p, opslaan="1"))
    assert Leerbaan.objects.get(leerbedrijf=p.leerbedrijf).status == LeerbaanStatus.CONCEPT


def test_the_form_says_why_the_kwalificatie_is_not_erkend_on_the_start_date(client, p):
    p.erkenning.geldig_tot = timezone.localdate() + dt.timedelta(days=30)
    p.erkenning.save()
    client.force_login(p.user)
    response = client.post(reverse("leerbedrijven:leerbaan_create"), _form_data(p, opslaan="1"))
    html = response.content.decode()
    assert "Uw leerbedrijf is op" in html
    assert "de erkenning loopt tot" in html
    assert not Leerbaan.objects.exists()


def test_without_a_praktijkopleider_the_form_says_where_to_add_one(client, p):
    p.opleider.delete()
    client.force_login(p.user)
    html = client.get(reverse("leerbedrijven:leerbaan_create")).content.decode()
    assert "voeg eerst een praktijkopleider toe op de pagina van uw leerbedrijf" in html.lower()
    response = client.post(
        reverse("leerbedrijven:leerbaan_create"),
        _form_data(p, praktijkopleider="", opslaan="1"),
    )
    assert response.status_code == 200
    assert not Leerbaan.objects.exists()


def test_an_organisation_with_two_leerbedrijven_chooses_first(client, p):
    second = LeerbedrijfFactory(organisation=p.user.organisation)
    client.force_login(p.user)
    page = client.get(reverse("leerbedrijven:leerbaan_create")).content.decode()
    assert escape(second.naam) in page
    assert escape(p.leerbedrijf.naam) in page
    chosen = client.get(reverse("leerbedrijven:leerbaan_create"), {"leerbedrijf": p.leerbedrijf.pk})
    assert 'name="titel"' in chosen.content.decode()


@pytest.fixture
def published(p):
    return leerbaan_create(leerbedrijf=p.leerbedrijf, by=p.user, publish=True, **p.fields())


def test_editing_refuses_a_new_kwalificatie_once_voordrachten_exist(client, p, published):
    VoordrachtFactory(leerbaan=published)
    other = posting_make(organisation=p.user.organisation)  # another erkend kwalificatie
    from leerbedrijven.models import Erkenning

    Erkenning.objects.create(
        leerbedrijf=p.leerbedrijf,
        kwalificatie=other.kwalificatie,
        leerweg="BBL",
        geldig_van=timezone.localdate() - dt.timedelta(days=10),
    )
    p.opleider.kwalificaties.add(other.kwalificatie)
    client.force_login(p.user)
    url = reverse("leerbedrijven:leerbaan_edit", args=[published.pk])
    assert client.get(url).status_code == 200
    data = _form_data(
        p,
        kwalificatie=other.kwalificatie.pk,
        werkprocessen=[],
        start_date=published.start_date.isoformat(),
        closing_date=published.closing_date.isoformat(),
        routes=["praktijkverklaring"],
        hours_per_week=24,
        opslaan="1",
    )
    html = client.post(url, data).content.decode()
    assert "kwalificatie kan niet meer veranderen" in html
    assert Leerbaan.objects.get(pk=published.pk).kwalificatie == p.kwalificatie
    ok = client.post(
        url,
        {
            **data,
            "kwalificatie": p.kwalificatie.pk,
            "werkprocessen": [p.werkprocessen[0].pk],
            "titel": "Nieuw",
        },
    )
    assert ok.status_code == 302
    assert Leerbaan.objects.get(pk=published.pk).titel == "Nieuw"


def test_extending_through_its_page(client, p, published):
    client.force_login(p.user)
    url = reverse(
        "candidates:leerbaan_transition", kwargs={"pk": published.pk, "transition": "extend"}
    )
    page = client.get(url)
    assert page.status_code == 200
    assert "Nieuwe sluitingsdatum" in page.content.decode()
    later = published.closing_date + dt.timedelta(days=7)
    client.post(url, {"closing_date": later.isoformat()})
    assert Leerbaan.objects.get(pk=published.pk).closing_date == later


def test_my_leerbanen_lists_places_voordrachten_and_what_to_do(client, p, published):
    Leerbaan.objects.filter(pk=published.pk).update(places_taken=1)
    VoordrachtFactory(leerbaan=published)
    VoordrachtFactory(leerbaan=published, status="afgewezen")
    client.force_login(p.user)
    html = client.get(reverse("leerbedrijven:leerbaan_list")).content.decode()
    assert "Mijn leerbanen" in html
    assert "1 van 2 plaatsen bezet" in html
    row = html.split(published.titel, 1)[1].split("</tr>", 1)[0]
    assert ">1</td>" in row  # one open voordracht, the declined one does not count
    for name in ("extend", "close"):
        assert (
            reverse(
                "candidates:leerbaan_transition", kwargs={"pk": published.pk, "transition": name}
            )
            in row
        )
    assert reverse("leerbedrijven:leerbaan_edit", args=[published.pk]) in row
    assert reverse("leerbedrijven:leerbaan_create") in html
    assert reverse("leerbedrijven:leerbaan_upload") in html


def test_a_full_leerbaan_page_says_it_is_closed_not_nog_0_vrij(client, p, published):
    Leerbaan.objects.filter(pk=published.pk).update(places_taken=2)
    client.force_login(p.user)
    html = client.get(published.get_absolute_url()).content.decode()
    assert "nog 0 vrij" not in html
    assert "alle 2 plaatsen bezet" in html
    assert "Gesloten: alle plaatsen zijn bezet" in html
    assert "Open voor voordrachten" not in html


def test_the_upload_page_reports_each_bad_row(client, p):
    client.force_login(p.user)
    url = reverse("leerbedrijven:leerbaan_upload")
    page = client.get(url).content.decode()
    assert "sluitingsdatum" in page
    assert "leerbanen-voorbeeld.csv" in page
    content = _csv([_row(p, "A"), _row(p, "B", crebo="12345")])
    response = client.post(url, {"bestand": SimpleUploadedFile("l.csv", content, "text/csv")})
    html = response.content.decode()
    assert "Onbekend crebonummer." in html
    assert "Er is niets opgeslagen" in html
    assert not Leerbaan.objects.exists()
    response = client.post(
        url,
        {"bestand": SimpleUploadedFile("l.csv", content, "text/csv"), "skip_invalid": "on"},
    )
    assert Leerbaan.objects.filter(external_ref="A").exists()
    assert "1 nieuw" in response.content.decode()


# --- scoping ---------------------------------------------------------------------------------


def test_another_werkgever_gets_404_and_changes_nothing(client, p, published):
    b = posting_make()
    client.force_login(b.user)
    urls = [
        reverse("leerbedrijven:leerbaan_edit", args=[published.pk]),
        *(
            reverse(
                "candidates:leerbaan_transition", kwargs={"pk": published.pk, "transition": name}
            )
            for name in ("extend", "close", "publish")
        ),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"closing_date": "2099-01-01", "titel": "X"}).status_code == 404
    html = client.get(reverse("leerbedrijven:leerbaan_list")).content.decode()
    assert published.titel not in html
    # B's form offers only B's leerbedrijf; posting A's leerbedrijf is a 404.
    create = reverse("leerbedrijven:leerbaan_create")
    LeerbedrijfFactory(organisation=b.user.organisation)  # B has two: it must choose
    assert client.get(create, {"leerbedrijf": p.leerbedrijf.pk}).status_code == 404
    assert escape(p.leerbedrijf.naam) not in client.get(create).content.decode()
    # An upload with A's references and vestiging creates nothing at A.
    content = _csv([_row(p, "A-REF")])
    client.post(
        reverse("leerbedrijven:leerbaan_upload"),
        {
            "bestand": SimpleUploadedFile("l.csv", content, "text/csv"),
            "leerbedrijf": p.leerbedrijf.pk,
        },
    )
    assert not Leerbaan.objects.filter(external_ref="A-REF").exists()
    unchanged = Leerbaan.objects.get(pk=published.pk)
    assert (unchanged.titel, unchanged.closing_date, unchanged.status) == (
        published.titel,
        published.closing_date,
        LeerbaanStatus.GEPUBLICEERD,
    )
