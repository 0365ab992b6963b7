"""Retention (issue 9, 'Personal data'): terms in settings, the nightly job that anonymises
expired candidates in batches and keeps statistics and the audit log, a second run that changes
nothing, deletion that never cascades history away, and erasure on request."""

import datetime as dt
import json
import threading

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core import serializers
from django.db import connection, transaction
from django.db.models.deletion import ProtectedError
from django.urls import reverse
from django.utils import timezone

from candidates.constants import AnonymisationReason, CandidateStatus
from candidates.models import (
    Candidate,
    CandidateTransition,
    Voordracht,
    VoordrachtRequest,
    VoordrachtTransition,
)
from praktijkleren.accounts.models import AccessLog
from praktijkleren.notifications.models import Event, Notification, OutboxMessage
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory
from tests.candidates.privacy_world import LAST, NAME, OTHER_BSNS, candidate_with_history
from tests.trajecten.factories import EnrolmentFactory, make_ready
from trajecten import privacy
from trajecten.models import (
    CheckIn,
    Enrolment,
    EnrolmentTransition,
    Onderwijsovereenkomst,
    Praktijkovereenkomst,
    Praktijkverklaring,
    ProgrammeItem,
    Result,
    Vrijstelling,
)
from trajecten.tasks import candidates_anonymise_expired_task

pytestmark = pytest.mark.django_db

# Every table that holds (or points at) a candidate's data.
MODELS = [
    Candidate,
    CandidateTransition,
    Voordracht,
    VoordrachtTransition,
    VoordrachtRequest,
    Enrolment,
    EnrolmentTransition,
    Praktijkovereenkomst,
    Onderwijsovereenkomst,
    ProgrammeItem,
    Vrijstelling,
    Result,
    CheckIn,
    Praktijkverklaring,
    Event,
    OutboxMessage,
    Notification,
    AccessLog,
    LogEntry,
]


def dump() -> str:
    """Every row of ``MODELS``, serialised, in pk order: two equal dumps mean nothing changed."""
    return "\n".join(
        serializers.serialize("json", model.objects.order_by("pk")) for model in MODELS
    )


@pytest.fixture
def consultant():
    return UserFactory()


# --- terms and the job --------------------------------------------------------------------------


def test_the_terms_are_settings_in_days_and_the_job_runs_nightly():
    assert set(settings.RETENTION) == {"afgemeld", "afgerond", "uitgevallen", "never_active"}
    assert all(isinstance(days, int) and days > 0 for days in settings.RETENTION.values())
    entry = settings.CELERY_BEAT_SCHEDULE["candidates-anonymise-expired"]
    assert entry["task"] == candidates_anonymise_expired_task.name


def test_a_term_runs_from_the_final_status_per_situation(consultant, settings):
    settings.RETENTION = {"afgemeld": 730, "afgerond": 730, "uitgevallen": 500, "never_active": 365}

    bsns = iter(OTHER_BSNS)

    def make(**kwargs):
        return candidate_with_history(consultant, enrolment=False, bsn=next(bsns), **kwargs)

    expired = {
        make(status="afgerond", ended_days_ago=731).pk,
        make(status="uitgevallen", ended_days_ago=501).pk,
        make(status="afgemeld", ended_days_ago=731).pk,
        make(status="afgemeld", ended_days_ago=366, was_active=False).pk,
    }
    make(status="afgerond", ended_days_ago=729)
    make(status="uitgevallen", ended_days_ago=499)
    make(status="afgemeld", ended_days_ago=400)  # was actief: the afgemeld term
    make(status="afgemeld", ended_days_ago=364, was_active=False)
    CandidateFactory(consultant=consultant)  # actief: never
    assert set(privacy.candidates_expired().values_list("pk", flat=True)) == expired


def test_the_job_clears_personal_data_and_keeps_statistics_and_the_audit_log(consultant):
    candidate = candidate_with_history(consultant)
    kept = candidate_with_history(consultant, ended_days_ago=10, bsn=OTHER_BSNS[0])
    AccessLog.objects.create(
        username="x", action="view", view="v", candidate_id=candidate.pk, organisation_id=None
    )
    audit = (AccessLog.objects.count(), LogEntry.objects.count())
    region = candidate.postcode_id
    history = [
        list(model.objects.filter(**{path: candidate}).values_list("pk", "to_state", "at"))
        for model, path in [
            (CandidateTransition, "candidate"),
            (VoordrachtTransition, "voordracht__candidate"),
            (EnrolmentTransition, "enrolment__candidate"),
        ]
    ]

    result = candidates_anonymise_expired_task()

    assert result == {"anonymised": 1, "batches": 1}
    candidate.refresh_from_db()
    assert candidate.anonymised_at is not None
    assert candidate.anonymised_reason == AnonymisationReason.RETENTION
    assert (candidate.first_name, candidate.bsn, candidate.email, candidate.phone) == (
        "",
        "",
        "",
        "",
    )
    assert candidate.birth_date is None
    assert candidate.birth_place == ""
    # Statistics: status, region, the dates of the transitions, outcomes.
    assert candidate.status == CandidateStatus.AFGEROND
    assert candidate.postcode_id == region
    voordracht = candidate.voordrachten.get()
    assert (voordracht.status, voordracht.decline_reason) == ("afgewezen", "gesprek")
    enrolment = candidate.enrolments.get()
    assert enrolment.status == "afgerond"
    assert enrolment.outcome_date is not None
    assert enrolment.results.get().passed
    assert [
        list(model.objects.filter(**{path: candidate}).values_list("pk", "to_state", "at"))
        for model, path in [
            (CandidateTransition, "candidate"),
            (VoordrachtTransition, "voordracht__candidate"),
            (EnrolmentTransition, "enrolment__candidate"),
        ]
    ] == history
    # The audit log: untouched.
    assert (AccessLog.objects.count(), LogEntry.objects.count()) == audit
    # No personal text of the anonymised candidate left anywhere but in the audit log; the
    # other candidate (term not expired) keeps all of it.
    rows = "\n".join(
        serializers.serialize("json", model.objects.order_by("pk"))
        for model in MODELS
        if model not in (AccessLog, LogEntry)
    )
    kept.refresh_from_db()
    assert kept.first_name == NAME
    assert kept.bsn == OTHER_BSNS[0]
    kept_texts = rows.count(NAME)
    anonymised_texts = sum(
        json.dumps(row, default=str).count(NAME)
        for model in MODELS
        if model not in (AccessLog, LogEntry)
        for row in _rows_of(model, candidate)
    )
    assert anonymised_texts == 0
    assert kept_texts > 0
    assert "Breda" not in json.dumps(
        Praktijkverklaring.objects.get(enrolment__candidate=candidate).content
    )


def _rows_of(model, candidate):
    """The rows of ``model`` that belong to ``candidate``, as dicts."""
    paths = {
        Candidate: "pk",
        CandidateTransition: "candidate",
        Voordracht: "candidate",
        VoordrachtTransition: "voordracht__candidate",
        VoordrachtRequest: "candidate",
        Enrolment: "candidate",
        EnrolmentTransition: "enrolment__candidate",
        Praktijkovereenkomst: "enrolment__candidate",
        Onderwijsovereenkomst: "enrolment__candidate",
        ProgrammeItem: "enrolment__candidate",
        Vrijstelling: "enrolment__candidate",
        Result: "enrolment__candidate",
        CheckIn: "enrolment__candidate",
        Praktijkverklaring: "enrolment__candidate",
    }
    if model in paths:
        value = candidate.pk if paths[model] == "pk" else candidate
        return list(model.objects.filter(**{paths[model]: value}).values())
    enrolment_ids = list(candidate.enrolments.values_list("pk", flat=True))
    events = Event.objects.filter(subject_type="enrolment", subject_id__in=enrolment_ids)
    if model is Event:
        return list(events.values())
    return list(model.objects.filter(event__in=events).values())


def test_a_second_run_changes_nothing(consultant):
    for days, bsn in zip((800, 900, 10), OTHER_BSNS, strict=False):
        candidate_with_history(consultant, ended_days_ago=days, bsn=bsn)
    first = privacy.candidates_anonymise_expired()
    before = dump()

    second = privacy.candidates_anonymise_expired()

    assert first["anonymised"] == 2
    assert second == {"anonymised": 0, "batches": 0}
    assert dump() == before
    # The service itself is idempotent too.
    assert not privacy.candidate_anonymise(
        candidate=Candidate.objects.filter(anonymised_at__isnull=False).first(),
        reason=AnonymisationReason.RETENTION,
    )
    assert dump() == before


def test_the_job_works_in_batches(consultant):
    for bsn in OTHER_BSNS[:5]:
        candidate_with_history(consultant, enrolment=False, bsn=bsn)

    result = privacy.candidates_anonymise_expired(batch_size=2)

    assert result == {"anonymised": 5, "batches": 3}
    assert not Candidate.objects.filter(anonymised_at__isnull=True).exists()


def test_the_job_anonymises_nothing_before_the_term(consultant):
    candidate_with_history(consultant, ended_days_ago=700)
    before = dump()
    later = timezone.now() + dt.timedelta(days=31)

    assert privacy.candidates_anonymise_expired()["anonymised"] == 0
    assert dump() == before
    assert privacy.candidates_anonymise_expired(now=later)["anonymised"] == 1


@pytest.mark.django_db(transaction=True)
def test_a_candidate_another_transaction_holds_is_left_for_the_next_run(consultant):
    held = candidate_with_history(consultant, enrolment=False)
    candidate_with_history(consultant, enrolment=False, bsn=OTHER_BSNS[0])
    locked, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            Candidate.objects.select_for_update().get(pk=held.pk)
            locked.set()
            release.wait(10)
        connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(10)
    try:
        first = privacy.candidates_anonymise_expired()
    finally:
        release.set()
        holder.join()

    assert first["anonymised"] == 1
    assert Candidate.objects.get(pk=held.pk).anonymised_at is None
    assert privacy.candidates_anonymise_expired()["anonymised"] == 1
    assert Candidate.objects.get(pk=held.pk).anonymised_at is not None


# --- deletion never cascades history away --------------------------------------------------------


def test_deleting_a_candidate_with_history_is_refused(consultant):
    candidate = candidate_with_history(consultant)
    with pytest.raises(ProtectedError):
        candidate.delete()
    assert Candidate.objects.filter(pk=candidate.pk).exists()


def test_deleting_an_enrolment_never_takes_its_agreements_progress_or_checkins():
    enrolment = make_ready(EnrolmentFactory())
    for related in (
        Praktijkovereenkomst,
        Onderwijsovereenkomst,
        ProgrammeItem,
        Vrijstelling,
        Result,
        CheckIn,
        Praktijkverklaring,
    ):
        field = related._meta.get_field("enrolment")
        assert field.remote_field.on_delete.__name__ == "PROTECT", related
    with pytest.raises(ProtectedError):
        enrolment.delete()


def test_the_admin_offers_no_delete_for_candidates(client, consultant):
    candidate = candidate_with_history(consultant, enrolment=False)
    beheer = UserFactory(
        organisation=OrganisationFactory(beheer=True), is_staff=True, is_superuser=True
    )
    client.force_login(beheer)
    delete = reverse("admin:candidates_candidate_delete", args=[candidate.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = client.get(reverse("admin:candidates_candidate_changelist"))
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()
    assert Candidate.objects.filter(pk=candidate.pk).exists()


# --- erasure on request -------------------------------------------------------------------------


def _erase_url(candidate):
    return reverse("trajecten:candidate_erase", args=[candidate.pk])


def test_the_consultant_erases_an_ended_candidate_on_request_and_it_is_audited(client, consultant):
    candidate = candidate_with_history(consultant, status="afgemeld", ended_days_ago=3)
    client.force_login(consultant)
    page = client.get(_erase_url(candidate))
    assert page.status_code == 200
    assert 'name="note"' in page.content.decode()

    response = client.post(_erase_url(candidate), {"note": "Verzoek per brief", "confirm": "on"})

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.anonymised_reason == AnonymisationReason.REQUEST
    assert candidate.anonymised_note == "Verzoek per brief"
    assert candidate.first_name == ""
    assert candidate.bsn == ""
    entry = AccessLog.objects.filter(candidate_id=candidate.pk, action=AccessLog.Action.DELETE)
    assert entry.get().username == consultant.username
    # Once erased, the page says so and a second POST changes nothing.
    before = dump()
    again = client.post(_erase_url(candidate), {"note": "Nog eens", "confirm": "on"})
    assert again.status_code == 200
    assert "al verwijderd" in again.content.decode()
    assert Candidate.objects.get(pk=candidate.pk).anonymised_note == "Verzoek per brief"
    assert before.count("Nog eens") == dump().count("Nog eens") == 0


@pytest.mark.parametrize("status", ["actief", "in_opleiding"])
def test_erasure_is_refused_while_the_candidate_takes_part(client, consultant, status):
    candidate = CandidateFactory(consultant=consultant, status=status, first_name=NAME)
    if status == "in_opleiding":
        EnrolmentFactory(candidate=candidate, status="gestart", start_date=timezone.localdate())
    client.force_login(consultant)

    response = client.post(_erase_url(candidate), {"note": "Verzoek", "confirm": "on"})

    assert response.status_code == 200
    html = response.content.decode()
    assert ("Meld de kandidaat eerst af" in html) or ("Stop eerst de inschrijving" in html)
    candidate.refresh_from_db()
    assert candidate.anonymised_at is None
    assert candidate.first_name == NAME
    assert not AccessLog.objects.filter(action=AccessLog.Action.DELETE).exists()


def test_erasure_needs_a_reason_and_the_confirmation(client, consultant):
    candidate = candidate_with_history(consultant, status="afgemeld", ended_days_ago=3)
    client.force_login(consultant)
    for data in ({}, {"note": "Verzoek"}, {"confirm": "on"}):
        assert client.post(_erase_url(candidate), data).status_code == 200
    assert Candidate.objects.get(pk=candidate.pk).anonymised_at is None


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("Verzoek van Gerrit Bastiaanse, BSN 999981468, tel 06-75176844", "BSN"),
        ("Verzoek, BSN 9999 81 468", "BSN"),
        ("Verzoek, BSN 999.981.468", "BSN"),
        ("Verzoek per telefoon, bel terug op 06-75176844", "telefoonnummer"),
        ("Verzoek per telefoon: +31 30 123 4567", "telefoonnummer"),
        ("Verzoek per e-mail van kandidaat@example.org", "e-mailadres"),
        (f"Verzoek van {NAME} per brief", "naam van de kandidaat"),
        (f"Verzoek van mevrouw {LAST.upper()}", "naam van de kandidaat"),
    ],
)
def test_the_erasure_note_refuses_personal_data_at_its_field(client, consultant, note, message):
    candidate = candidate_with_history(consultant, status="afgemeld", ended_days_ago=3)
    candidate.first_name, candidate.last_name = NAME, LAST
    candidate.save(update_fields=["first_name", "last_name"])
    client.force_login(consultant)

    response = client.post(_erase_url(candidate), {"note": note, "confirm": "on"})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"note"}
    assert message in " ".join(errors["note"])
    assert Candidate.objects.get(pk=candidate.pk).anonymised_at is None


@pytest.mark.parametrize(
    "note",
    [
        "Verzoek van de kandidaat van 1 december, per brief.",
        "Verzoek per brief van 12-11-2026, kenmerk 2026/114.",
    ],
)
def test_the_erasure_note_accepts_a_note_without_personal_data(consultant, note):
    from trajecten.forms import CandidateEraseForm

    candidate = candidate_with_history(consultant, status="afgemeld", ended_days_ago=3)
    form = CandidateEraseForm({"note": note, "confirm": "on"}, candidate=candidate)
    assert form.is_valid(), form.errors


def test_other_organisations_cannot_erase(client, consultant):
    candidate = candidate_with_history(consultant, status="afgemeld", ended_days_ago=3)
    other = UserFactory()
    werkgever = UserFactory(organisation=OrganisationFactory(werkgever=True))
    for user, expected in ((other, 404), (werkgever, 403)):
        client.force_login(user)
        for method in ("get", "post"):
            response = getattr(client, method)(
                _erase_url(candidate), {"note": "x", "confirm": "on"}
            )
            assert response.status_code == expected, (user, method)
    assert Candidate.objects.get(pk=candidate.pk).anonymised_at is None
