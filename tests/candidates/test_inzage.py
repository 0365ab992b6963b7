"""Inzage (issue 9, 'Inzage and erasure'): the registering organisation's consultants export
everything held about a candidate as JSON and as a readable PDF, never cached, always audited;
other organisations are refused."""

import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from praktijkleren.accounts.models import AccessLog
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.privacy_world import BSN, LAST, NAME, candidate_with_history
from trajecten import privacy

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant():
    return UserFactory()


@pytest.fixture
def candidate(consultant):
    candidate = candidate_with_history(consultant, ended_days_ago=30)
    AccessLog.objects.create(
        username="eerder",
        action="view",
        view="trajecten:candidate_detail",
        candidate_id=candidate.pk,
        organisation_id=consultant.organisation_id,
    )
    return candidate


def _json(client, candidate):
    return client.get(reverse("trajecten:candidate_inzage_json", args=[candidate.pk]))


def test_the_json_holds_everything_about_the_candidate(client, consultant, candidate):
    client.force_login(consultant)

    response = _json(client, candidate)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert NAME not in disposition
    data = json.loads(response.content)
    assert set(data) == {
        "generated_at",
        "candidate",
        "status_history",
        "voordrachten",
        "voordracht_requests",
        "enrolments",
        "notifications",
        "changes",
        "access_log",
    }
    profile = data["candidate"]
    assert (profile["first_name"], profile["last_name"], profile["bsn"]) == (NAME, LAST, BSN)
    assert profile["birth_date"] == "1990-03-14"
    assert profile["birth_place"] == "Breda"
    assert profile["email"] == "zwaantje@example.nl"
    assert profile["phone"] == "0612345678"
    assert profile["postcode"] == candidate.postcode_id
    assert NAME in profile["work_experience"]
    assert NAME in profile["earlier_education"]
    assert [row["to"] for row in data["status_history"]] == ["aangemeld", "actief", "afgerond"]
    (voordracht,) = data["voordrachten"]
    assert (voordracht["status"], voordracht["decline_reason"]) == ("afgewezen", "gesprek")
    assert NAME in voordracht["motivation"]
    assert NAME in voordracht["interview_message"]
    assert voordracht["history"][0]["to"] == "afgewezen"
    assert NAME in data["voordracht_requests"][0]["message"]
    (enrolment,) = data["enrolments"]
    assert enrolment["status"] == "afgerond"
    assert enrolment["history"]
    assert NAME in enrolment["praktijkovereenkomst"]["guidance"]
    assert enrolment["onderwijsovereenkomst"]["signed_on"]
    assert NAME in enrolment["vrijstellingen"][0]["explanation"]
    assert enrolment["results"][0]["passed"] is True
    assert NAME in enrolment["checkins"][0]["note"]
    assert enrolment["praktijkverklaring"]["content"]["candidate"]["birth_place"] == "Breda"
    (event,) = data["notifications"]
    assert event["type"] == "enrolment.completed"
    assert event["messages"][0]["organisation"] == consultant.organisation.name
    assert NAME in event["notifications"][0]["title"]
    assert any(entry["object"] == f"candidate/{candidate.pk}" for entry in data["changes"])
    # The access log, this export included.
    actions = [(entry["username"], entry["action"]) for entry in data["access_log"]]
    assert ("eerder", "view") in actions
    assert (consultant.username, "export") in actions


def test_the_pdf_is_readable_and_names_the_candidate(client, consultant, candidate):
    client.force_login(consultant)

    response = client.get(reverse("trajecten:candidate_inzage_pdf", args=[candidate.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert f"{NAME} {LAST}" in text
    assert BSN in text
    assert "Statusgeschiedenis" in text
    assert "Voortgangsgesprekken" in text
    assert "rekent al jaren" in text


def test_each_export_is_recorded_in_the_access_log(client, consultant, candidate):
    client.force_login(consultant)
    before = AccessLog.objects.filter(action="export").count()
    _json(client, candidate)
    client.get(reverse("trajecten:candidate_inzage_pdf", args=[candidate.pk]))
    entries = AccessLog.objects.filter(action="export").order_by("pk")[before:]
    assert [(e.candidate_id, e.username, e.organisation_id) for e in entries] == [
        (candidate.pk, consultant.username, consultant.organisation_id)
    ] * 2
    assert [e.view for e in entries] == [
        "trajecten:candidate_inzage_json",
        "trajecten:candidate_inzage_pdf",
    ]


@pytest.mark.parametrize("name", ["candidate_inzage_json", "candidate_inzage_pdf"])
def test_other_organisations_are_refused(client, candidate, name):
    url = reverse(f"trajecten:{name}", args=[candidate.pk])
    refused = {
        "other consultant": (UserFactory(), 404),
        "werkgever": (UserFactory(organisation=OrganisationFactory(werkgever=True)), 403),
        "school": (UserFactory(organisation=OrganisationFactory(school=True)), 403),
    }
    before = AccessLog.objects.count()
    for role, (user, expected) in refused.items():
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == expected, role
        assert NAME.encode() not in response.content
    client.logout()
    assert client.get(url).status_code == 302
    # Each refusal is recorded as refused (nothing was shown); the anonymous visit not at all.
    new = AccessLog.objects.order_by("pk")[before:]
    assert [(entry.result, entry.action) for entry in new] == [
        (AccessLog.Result.REFUSED, AccessLog.Action.EXPORT)
    ] * 3


def test_the_inzage_of_an_anonymised_candidate_holds_no_personal_data(client, consultant):
    candidate = candidate_with_history(consultant, status="afgemeld", ended_days_ago=3)
    privacy.candidate_anonymise(candidate=candidate, reason="request")
    client.force_login(consultant)

    data = json.loads(_json(client, candidate).content)

    assert data["candidate"]["anonymised_reason"] == "request"
    # Only django-auditlog's entries of the edits made before keep the old values (the audit
    # log is append-only; docs/privacy.md).
    data.pop("changes")
    assert NAME not in json.dumps(data)
    assert BSN not in json.dumps(data)
    assert "Breda" not in json.dumps(data)


def _readable_world(consultant, candidate):
    consultant.first_name, consultant.last_name = "Petra", "Consulent"
    consultant.save(update_fields=["first_name", "last_name"])
    AccessLog.objects.create(
        username="lijstkijker",
        action="list",
        view="candidates:candidate_list",
        candidate_id=candidate.pk,
        organisation_id=consultant.organisation_id,
        origin="203.0.113.7",
    )


def test_the_pdf_shows_labels_not_codes(client, consultant, candidate):
    _readable_world(consultant, candidate)
    client.force_login(consultant)

    response = client.get(reverse("trajecten:candidate_inzage_pdf", args=[candidate.pk]))

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    # The access log: actions and pages by their Dutch labels.
    assert "bekeken" in flat
    assert "in een lijst getoond" in flat
    assert "Kandidatenoverzicht" in flat
    assert "Gegevens van een kandidaat" in flat
    assert "candidates:candidate_list" not in flat
    assert "trajecten:candidate_detail" not in flat
    assert "203.0.113.7" not in flat
    # Statuses, route and reasons by their labels; the consultant by name.
    assert "Afgerond" in flat
    assert "Afgewezen" in flat or "afgewezen" in flat.lower()
    assert "Aangemeld door Petra Consulent," in flat
    for code in ("in_opleiding", "geen_interesse", "list/view", "enrolment.completed"):
        assert code not in flat


def test_the_json_adds_labels_and_drops_the_staff_members_ip_address(client, consultant, candidate):
    _readable_world(consultant, candidate)
    client.force_login(consultant)

    data = json.loads(_json(client, candidate).content)

    raw = json.dumps(data)
    assert "origin" not in raw
    assert "203.0.113.7" not in raw
    entry = next(e for e in data["access_log"] if e["username"] == "lijstkijker")
    assert entry["action"] == "list"
    assert entry["action_label"] == "in een lijst getoond"
    assert entry["view"] == "candidates:candidate_list"
    assert entry["view_label"] == "Kandidatenoverzicht"
    assert entry["result_label"] == "getoond"
    assert entry["organisation"] == consultant.organisation.name
    assert "organisation_id" not in entry
    profile = data["candidate"]
    assert (profile["status"], profile["status_label"]) == ("afgerond", "Afgerond")
    assert profile["route_label"]
    assert profile["consultant_name"] == "Petra Consulent"
    assert data["status_history"][-1]["to_label"] == "Afgerond"
    (voordracht,) = data["voordrachten"]
    assert voordracht["decline_reason_label"] not in ("", "gesprek")
    assert data["enrolments"][0]["status_label"]
