"""A whole journey through the workflows, and what it tells whom: the BSN never reaches a
message or a log line, and the werkgever's messages name the candidate only as far as the
employer view allows."""

import datetime as dt
import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from candidates import services
from candidates.models import Candidate
from opleidingen.constants import Route
from praktijkleren.notifications.models import OutboxMessage
from tests.accounts.factories import OrganisationFactory
from tests.geo.factories import PostcodeFactory
from tests.opleidingen.factories import KwalificatiedossierFactory, KwalificatieFactory
from tests.trajecten.factories import make_ready
from tests.workflows.conftest import interview
from trajecten import services as trajecten_services

pytestmark = pytest.mark.django_db

BSN = "111222333"


def test_a_whole_journey_never_puts_the_bsn_in_a_message_or_log(
    candidate, leerbaan, consultant, werkgever, school, school_user, caplog
):
    caplog.set_level(logging.DEBUG)
    voordracht = services.voordracht_make(candidate=candidate, leerbaan=leerbaan, by=consultant)
    services.voordracht_invite(voordracht=voordracht, by=werkgever, **interview())
    enrolment = trajecten_services.voordracht_accept(voordracht=voordracht, by=werkgever)
    trajecten_services.enrolment_accept(
        enrolment=enrolment,
        by=school_user,
        start_date=timezone.localdate(),
        route=enrolment.route,
    )
    make_ready(enrolment)
    trajecten_services.enrolment_start(enrolment=enrolment, by=school_user)
    trajecten_services.enrolment_complete(
        enrolment=enrolment, by=school_user, outcome_date=timezone.localdate()
    )

    assert Candidate.objects.get(pk=candidate.pk).status == "afgerond"
    steps = list(candidate.transitions.values_list("transition", flat=True))
    assert steps == ["propose", "place", "start_training", "complete"]
    messages = list(OutboxMessage.objects.all())
    assert {m.kind for m in messages} == {
        "voordracht.made",
        "voordracht.invited",
        "voordracht.accepted",
        "enrolment.requested",
        "enrolment.accepted",
        "enrolment.started",
        "enrolment.completed",
    }
    told = {(m.kind, m.organisation_id) for m in messages}
    school = school_user.organisation_id
    assert ("voordracht.made", school) not in told  # the school is not involved yet
    assert ("enrolment.requested", school) in told
    assert len({m.idempotency_key for m in messages}) == len(messages)
    for message in messages:
        assert BSN not in message.subject + message.body + message.body_html
    for record in caplog.records:
        assert BSN not in record.getMessage()
        assert candidate.last_name not in record.getMessage()


def test_the_werkgever_is_not_told_the_name_of_a_withdrawn_candidate(
    candidate, leerbaan, consultant
):
    voordracht = services.voordracht_make(candidate=candidate, leerbaan=leerbaan, by=consultant)
    services.voordracht_withdraw(voordracht=voordracht, by=consultant)
    to_werkgever = OutboxMessage.objects.filter(
        kind="voordracht.withdrawn", organisation=leerbaan.leerbedrijf.organisation
    )
    assert to_werkgever.count() == 2  # its user and its mailbox
    for message in to_werkgever:
        assert candidate.last_name not in message.subject + message.body + message.body_html
        assert "Kandidaat uit" in message.body
    to_consultant = OutboxMessage.objects.filter(
        kind="voordracht.withdrawn", organisation=candidate.organisation
    )
    assert all(candidate.last_name in message.body for message in to_consultant)


def test_register_a_candidate(consultant):
    kwalificatie = KwalificatieFactory()
    dossier = KwalificatiedossierFactory()
    data = {
        "first_name": "Fatima",
        "last_name": "El Amrani",
        "bsn": BSN,
        "email": "",
        "phone": "",
        "postcode": PostcodeFactory(),
        "wished_kwalificaties": [kwalificatie],
        "wished_dossiers": [dossier],
        "route": Route.PRAKTIJKVERKLARING,
        "max_travel_km": 30,
        "hours_per_week": 24,
        "earliest_start_date": dt.date(2027, 3, 1),
        "work_experience": "",
        "earlier_education": "",
        "consent": True,
    }
    candidate = services.candidate_register(
        organisation=consultant.organisation, consultant=consultant, data=data
    )
    assert candidate.organisation == consultant.organisation
    assert candidate.consent_given_at is not None
    assert list(candidate.wished_kwalificaties.all()) == [kwalificatie]
    assert list(candidate.wished_dossiers.all()) == [dossier]

    with pytest.raises(PermissionDenied):
        services.candidate_register(
            organisation=OrganisationFactory(werkgever=True), consultant=consultant, data=data
        )
    with pytest.raises(ValidationError):
        services.candidate_register(
            organisation=consultant.organisation,
            consultant=consultant,
            data={**data, "wished_kwalificaties": [], "wished_dossiers": []},
        )
    # One organisation registers a BSN once (found through its blind index).
    with pytest.raises(ValidationError) as refused:
        services.candidate_register(
            organisation=consultant.organisation, consultant=consultant, data=data
        )
    assert "bsn" in refused.value.message_dict
    without_consent = services.candidate_register(
        organisation=consultant.organisation,
        consultant=consultant,
        data={**data, "consent": False, "bsn": ""},
    )
    assert (without_consent.consent_given_at, without_consent.status) == (None, "aangemeld")
