"""The praktijkverklaring: issuing it (who, when, once), its PDF and its public verification."""

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from opleidingen.constants import KerntaakDeel, Route
from praktijkleren.accounts.models import AccessLog
from praktijkleren.notifications.models import Event, Notification, OutboxMessage
from praktijkleren.workflow import TransitionRefused
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory
from tests.leerbedrijven.factories import LeerbaanFactory, PraktijkopleiderFactory
from tests.opleidingen.factories import (
    KerntaakFactory,
    KwalificatieFactory,
    MboInstellingFactory,
    WerkprocesFactory,
)
from tests.trajecten.factories import EnrolmentFactory
from trajecten import documents
from trajecten.constants import ConfirmedRole, ProgrammeItemKind
from trajecten.models import Enrolment, EnrolmentTransition, Praktijkverklaring, ProgrammeItem

pytestmark = pytest.mark.django_db

BSN = "111222333"
NUMBER = re.compile(r"^PV-\d{4}-\d{6,}$")


@pytest.fixture
def school():
    return UserFactory(organisation=OrganisationFactory(school=True))


@pytest.fixture
def consultant():
    return UserFactory()


@pytest.fixture
def enrolment(school, consultant):
    """A gestart enrolment on the praktijkverklaring route at a leerbedrijf with an SBB id and a
    praktijkopleider; three confirmed werkprocessen (one without code, one of another
    kwalificatie) and one not yet confirmed."""
    kwalificatie = KwalificatieFactory(naam="Medewerker logistiek", niveau=2)
    leerbaan = LeerbaanFactory(
        kwalificatie=kwalificatie,
        leerbedrijf__naam="Transport Van Dam B.V.",
        leerbedrijf__sbb_leerbedrijf_id="100234567",
        vestiging__plaats="Tilburg",
    )
    leerbaan.praktijkopleider = PraktijkopleiderFactory(
        leerbedrijf=leerbaan.leerbedrijf, vestiging=leerbaan.vestiging, naam="Piet Opleider"
    )
    leerbaan.save()
    candidate = CandidateFactory(
        consultant=consultant,
        first_name="Sanne",
        last_name="Kandidaat",
        bsn=BSN,
        birth_date=dt.date(1990, 3, 14),
        birth_place="Breda",
        route=Route.PRAKTIJKVERKLARING,
        status="in_opleiding",
    )
    enrolment = EnrolmentFactory(
        candidate=candidate,
        leerbaan=leerbaan,
        kwalificatie=kwalificatie,
        instelling=MboInstellingFactory(
            organisation=school.organisation, naam="ROC De Rivieren", brin="25PZ"
        ),
        route=Route.PRAKTIJKVERKLARING,
        status="gestart",
        start_date=dt.date(2026, 2, 1),
    )
    basis = KerntaakFactory(dossier=kwalificatie.dossier, code="B1-K1")
    profiel = KerntaakFactory(
        dossier=kwalificatie.dossier,
        deel=KerntaakDeel.PROFIEL,
        kwalificatie=kwalificatie,
        code="P1-K1",
    )
    other = KwalificatieFactory(naam="Chauffeur goederenvervoer", niveau=3)
    other_kerntaak = KerntaakFactory(dossier=other.dossier, code="B1-K2")
    werkprocessen = [
        (WerkprocesFactory(kerntaak=basis, code="B1-K1-W1", titel="Ontvangt goederen"), 5),
        (WerkprocesFactory(kerntaak=profiel, code="", titel="Beheert de voorraad"), 20),
        (
            WerkprocesFactory(
                kerntaak=other_kerntaak, code="B1-K2-W3", titel="Laadt en lost de lading"
            ),
            12,
        ),
        (WerkprocesFactory(kerntaak=basis, code="B1-K1-W2", titel="Verzendt goederen"), None),
    ]
    for werkproces, day in werkprocessen:
        ProgrammeItem.objects.create(
            enrolment=enrolment,
            kind=ProgrammeItemKind.WERKPROCES,
            werkproces=werkproces,
            confirmed_on=dt.date(2026, 6, day) if day else None,
            confirmed_role=ConfirmedRole.PRAKTIJKOPLEIDER if day else "",
        )
    return enrolment


def _issue(enrolment, by):
    return documents.praktijkverklaring_issue(
        enrolment=enrolment,
        by=by,
        examencommissie="Examencommissie Logistiek",
        signatories=["A. Voorzitter"],
    )


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


# --- issuing ----------------------------------------------------------------------------------


def test_the_school_issues_it_with_a_number_a_check_code_and_the_frozen_content(enrolment, school):
    verklaring = documents.praktijkverklaring_issue(
        enrolment=enrolment,
        by=school,
        examencommissie="Examencommissie Logistiek",
        signatories=["A. Voorzitter", " ", "B. Secretaris"],
    )
    assert NUMBER.match(verklaring.number)
    assert verklaring.number == f"PV-{verklaring.issued_on.year}-{verklaring.pk:06d}"
    assert len(verklaring.check_code) == documents.CHECK_CODE_LENGTH
    assert set(verklaring.check_code) <= set(documents.CHECK_CODE_ALPHABET)
    content = verklaring.content
    assert content["number"] == verklaring.number
    assert content["candidate"] == {
        "name": "Sanne Kandidaat",
        "birth_date": "1990-03-14",
        "birth_place": "Breda",
    }
    assert content["leerbedrijf"] == {
        "name": "Transport Van Dam B.V.",
        "sbb_id": "100234567",
        "place": "Tilburg",
    }
    assert content["praktijkopleider"] == "Piet Opleider"
    assert content["period"] == {"start": "2026-02-01", "end": "2026-06-20"}
    assert content["school"] == {"name": "ROC De Rivieren", "brin": "25PZ"}
    assert content["signatories"] == ["A. Voorzitter", "B. Secretaris"]
    groups = {g["name"]: g for g in content["kwalificaties"]}
    assert set(groups) == {"Medewerker logistiek", "Chauffeur goederenvervoer"}
    own = groups["Medewerker logistiek"]
    assert own["niveau"] == 2
    assert own["crebo"] == enrolment.kwalificatie.crebo
    assert [(w["code"], w["title"]) for w in own["werkprocessen"]] == [
        ("B1-K1-W1", "Ontvangt goederen"),
        ("—", "Beheert de voorraad"),
    ]
    assert [w["code"] for w in groups["Chauffeur goederenvervoer"]["werkprocessen"]] == ["B1-K2-W3"]
    assert BSN not in str(content)
    assert "Verzendt goederen" not in str(content)  # not confirmed
    enrolment.refresh_from_db()
    assert enrolment.outcome_date == verklaring.issued_on


def test_the_consultant_and_the_school_are_told_not_the_werkgever(enrolment, school, consultant):
    werkgever = UserFactory(organisation=enrolment.leerbaan.leerbedrijf.organisation)
    colleague = UserFactory(organisation=school.organisation)
    verklaring = _issue(enrolment, school)
    event = Event.objects.get(type="praktijkverklaring.issued")
    assert (event.subject_id, event.version) == (enrolment.pk, verklaring.pk)
    told = set(Notification.objects.filter(event=event).values_list("user", flat=True))
    assert told == {consultant.pk, colleague.pk}
    assert werkgever.pk not in told
    assert not OutboxMessage.objects.filter(organisation=werkgever.organisation).exists()
    mail = OutboxMessage.objects.filter(user=consultant).get()
    assert "Sanne Kandidaat" in mail.subject
    assert BSN not in mail.body
    assert BSN not in str(mail.payload)


def test_an_afgerond_enrolments_period_ends_on_its_completion(enrolment, school):
    Enrolment.objects.filter(pk=enrolment.pk).update(status="afgerond")
    log = EnrolmentTransition.objects.create(
        enrolment=enrolment, transition="complete", from_state="gestart", to_state="afgerond"
    )
    EnrolmentTransition.objects.filter(pk=log.pk).update(
        at=dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC)
    )
    verklaring = _issue(enrolment, school)
    assert verklaring.content["period"]["end"] == "2026-07-01"


@pytest.mark.parametrize("who", ["consultant", "werkgever", "other_school"])
def test_only_the_enrolments_school_issues_it(enrolment, consultant, who):
    user = {
        "consultant": consultant,
        "werkgever": UserFactory(organisation=OrganisationFactory(werkgever=True)),
        "other_school": UserFactory(organisation=OrganisationFactory(school=True)),
    }[who]
    with pytest.raises(TransitionRefused) as refused:
        _issue(enrolment, user)
    assert refused.value.code == "role"
    assert not Praktijkverklaring.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"route": Route.DIPLOMA}, "niet de route praktijkverklaring"),
        ({"status": "geaccepteerd"}, "gestarte of afgeronde"),
        ({"status": "gestopt", "end_reason": "overig"}, "gestarte of afgeronde"),
    ],
)
def test_it_is_refused_off_the_route_or_before_the_start(enrolment, school, change, message):
    Enrolment.objects.filter(pk=enrolment.pk).update(**change)
    with pytest.raises(TransitionRefused) as refused:
        _issue(enrolment, school)
    assert message in refused.value.messages[0]
    assert not Praktijkverklaring.objects.exists()


def test_it_is_refused_without_a_confirmed_werkproces(enrolment, school):
    enrolment.programme.update(confirmed_on=None, confirmed_role="")
    with pytest.raises(TransitionRefused, match="geen werkproces bevestigd"):
        _issue(enrolment, school)


def test_it_is_issued_once(enrolment, school):
    first = _issue(enrolment, school)
    with pytest.raises(TransitionRefused, match=first.number):
        _issue(enrolment, school)
    assert Praktijkverklaring.objects.count() == 1


def test_it_needs_an_examencommissie_and_one_to_three_signatories(enrolment, school):
    with pytest.raises(TransitionRefused, match="examencommissie"):
        documents.praktijkverklaring_issue(
            enrolment=enrolment, by=school, examencommissie=" ", signatories=["A"]
        )
    for names in ([], ["A", "B", "C", "D"]):
        with pytest.raises(TransitionRefused, match="ondertekenaars"):
            documents.praktijkverklaring_issue(
                enrolment=enrolment, by=school, examencommissie="E", signatories=names
            )


def test_numbers_differ_between_documents(enrolment, school, consultant):
    first = _issue(enrolment, school)
    second_enrolment = EnrolmentFactory(
        candidate=CandidateFactory(consultant=consultant, status="in_opleiding"),
        leerbaan=enrolment.leerbaan,
        kwalificatie=enrolment.kwalificatie,
        instelling=enrolment.instelling,
        route=Route.PRAKTIJKVERKLARING,
        status="gestart",
        start_date=dt.date(2026, 3, 1),
    )
    ProgrammeItem.objects.create(
        enrolment=second_enrolment,
        kind=ProgrammeItemKind.WERKPROCES,
        werkproces=enrolment.programme.first().werkproces,
        confirmed_on=dt.date(2026, 6, 1),
        confirmed_role=ConfirmedRole.SCHOOL,
    )
    second = _issue(second_enrolment, school)
    assert first.number != second.number
    assert NUMBER.match(second.number)


# --- the PDF ----------------------------------------------------------------------------------


def test_the_pdf_shows_every_werkproces_the_number_and_the_check_code(enrolment, school):
    verklaring = _issue(enrolment, school)
    with translation.override("nl"):
        pdf = documents.praktijkverklaring_pdf(verklaring)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert "Praktijkverklaring" in text
    assert "Onderdeel van de mbo-verklaring" in text
    for code, title in [
        ("B1-K1-W1", "Ontvangt goederen"),
        ("—", "Beheert de voorraad"),
        ("B1-K2-W3", "Laadt en lost de lading"),
    ]:
        assert code in text
        assert title in text
    assert "Verzendt goederen" not in text
    assert verklaring.number in text
    assert verklaring.check_code in text
    assert "Sanne Kandidaat" in text
    assert "14 maart 1990" in text
    assert "Breda" in text
    assert "100234567" in text
    assert "Piet Opleider" in text
    assert "A. Voorzitter" in text
    assert enrolment.kwalificatie.crebo in text
    assert "niveau 2" in text
    assert "/verificatie/" in text
    assert BSN not in text
    assert enrolment.candidate.email not in text


def test_the_school_and_the_consultant_download_it(client, enrolment, school, consultant):
    verklaring = _issue(enrolment, school)
    url = reverse("trajecten:praktijkverklaring_pdf", kwargs={"pk": enrolment.pk})
    for user in (school, consultant):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="{verklaring.number}.pdf"'
        assert response["Cache-Control"] == "no-store"
        assert verklaring.number in _text(response.content)
    exports = AccessLog.objects.filter(action="export", candidate_id=enrolment.candidate_id)
    assert sorted(exports.values_list("user_id", flat=True)) == sorted([school.pk, consultant.pk])


def test_others_do_not_download_it(client, enrolment, school):
    _issue(enrolment, school)
    url = reverse("trajecten:praktijkverklaring_pdf", kwargs={"pk": enrolment.pk})
    werkgever = UserFactory(organisation=enrolment.leerbaan.leerbedrijf.organisation)
    for user in (
        UserFactory(organisation=OrganisationFactory(school=True)),
        UserFactory(),
        werkgever,
    ):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_no_pdf_before_it_is_issued(client, enrolment, school):
    client.force_login(school)
    url = reverse("trajecten:praktijkverklaring_pdf", kwargs={"pk": enrolment.pk})
    assert client.get(url).status_code == 404


# --- the pages --------------------------------------------------------------------------------


def test_the_school_issues_it_through_its_form(client, enrolment, school):
    client.force_login(school)
    detail = client.get(enrolment.get_absolute_url()).content.decode()
    url = reverse("trajecten:praktijkverklaring_issue", kwargs={"pk": enrolment.pk})
    assert url in detail
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert 'for="id_examencommissie"' in html
    assert 'for="id_signatory_1"' in html
    empty = client.post(url, {"examencommissie": "", "signatory_1": ""})
    assert empty.status_code == 200
    assert "aria-invalid" in empty.content.decode()
    assert not Praktijkverklaring.objects.exists()
    response = client.post(
        url,
        {"examencommissie": "Examencommissie Logistiek", "signatory_1": "A. Voorzitter"},
    )
    assert response.status_code == 302
    verklaring = Praktijkverklaring.objects.get(enrolment=enrolment)
    detail = client.get(enrolment.get_absolute_url()).content.decode()
    assert verklaring.number in detail
    assert reverse("trajecten:praktijkverklaring_pdf", kwargs={"pk": enrolment.pk}) in detail
    # Issued: the form no longer opens.
    again = client.get(url)
    assert again.status_code == 302


def test_the_form_sends_back_when_it_may_not_be_issued(client, enrolment, school):
    enrolment.programme.update(confirmed_on=None, confirmed_role="")
    client.force_login(school)
    detail = client.get(enrolment.get_absolute_url()).content.decode()
    assert "geen werkproces bevestigd" in detail
    url = reverse("trajecten:praktijkverklaring_issue", kwargs={"pk": enrolment.pk})
    assert url not in detail
    response = client.get(url)
    assert response.status_code == 302
    assert client.post(url, {"examencommissie": "E", "signatory_1": "A"}).status_code == 302
    assert not Praktijkverklaring.objects.exists()


def test_the_consultant_and_a_stranger_do_not_reach_the_form(client, enrolment, consultant):
    url = reverse("trajecten:praktijkverklaring_issue", kwargs={"pk": enrolment.pk})
    for user in (consultant, UserFactory(organisation=OrganisationFactory(school=True))):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_the_werkgever_sees_no_praktijkverklaring_panel(client, enrolment, school):
    verklaring = _issue(enrolment, school)
    client.force_login(UserFactory(organisation=enrolment.leerbaan.leerbedrijf.organisation))
    html = client.get(enrolment.get_absolute_url()).content.decode()
    assert verklaring.number not in html


# --- the public verification ------------------------------------------------------------------


def test_the_right_number_and_code_show_the_documents_data(client, enrolment, school):
    verklaring = _issue(enrolment, school)
    url = reverse("trajecten:verify")
    response = client.get(url, {"number": verklaring.number, "check_code": verklaring.check_code})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    for shown in (
        verklaring.number,
        "Sanne Kandidaat",
        "14 maart 1990",
        "Breda",
        "Transport Van Dam B.V.",
        "100234567",
        "Piet Opleider",
        "Ontvangt goederen",
        "Beheert de voorraad",
        "B1-K2-W3",
        "ROC De Rivieren",
        "Examencommissie Logistiek",
        "A. Voorzitter",
    ):
        assert shown in html, shown
    candidate = enrolment.candidate
    for hidden in (BSN, candidate.email, candidate.postcode.pc4, "Verzendt goederen"):
        assert hidden not in html, hidden
    # Lower case and spaces in the code are forgiven.
    code = verklaring.check_code.lower()
    spaced = client.get(
        url, {"number": verklaring.number.lower(), "check_code": f"{code[:4]} {code[4:]}"}
    )
    assert "Sanne Kandidaat" in spaced.content.decode()


def test_a_wrong_code_and_an_unknown_number_get_the_same_answer(client, enrolment, school):
    verklaring = _issue(enrolment, school)
    url = reverse("trajecten:verify")
    wrong_code = "A" * 8 if verklaring.check_code != "A" * 8 else "B" * 8
    answers = []
    for params in (
        {"number": verklaring.number, "check_code": wrong_code},
        {"number": "PV-2026-999999", "check_code": verklaring.check_code},
    ):
        response = client.get(url, params)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Geen praktijkverklaring gevonden met dit nummer en deze controlecode." in html
        assert "Sanne Kandidaat" not in html
        answers.append(re.sub(r'value="[^"]*"', "", html.split('id="main"')[1]))
    assert answers[0] == answers[1]


def test_a_malformed_number_or_code_is_an_error_at_the_field(client):
    response = client.get(reverse("trajecten:verify"), {"number": "123", "check_code": "ab"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "PV-2026-000123" in html
    assert "8 tekens" in html
    assert "Geen praktijkverklaring gevonden" not in html


def test_the_verification_page_asks_without_searching(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("trajecten:verify"))
    assert response.status_code == 200
    assert 'for="id_number"' in response.content.decode()
    assert not any("praktijkverklaring" in q["sql"] for q in queries)


def test_verify_compares_the_code_in_constant_time(enrolment, school, monkeypatch):
    verklaring = _issue(enrolment, school)
    calls = []
    real = documents.hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(documents.hmac, "compare_digest", spy)
    assert documents.praktijkverklaring_verify(number="PV-2026-999999", check_code="X") is None
    found = documents.praktijkverklaring_verify(
        number=verklaring.number, check_code=verklaring.check_code
    )
    assert found == verklaring
    assert len(calls) == 2


def test_the_verification_page_has_the_portals_security_headers(client):
    login = client.get(reverse("login"))
    verify = client.get(reverse("trajecten:verify"))
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
    ):
        assert verify.get(header) == login.get(header), header
    assert verify.has_header("Content-Security-Policy")
    assert client.post(reverse("trajecten:verify")).status_code in (403, 405)
