"""Personal data in what the notification layer writes and sends (domain primer, 'Privacy'), over
the main flow driven through the real services: a candidate registered with a BSN, e-mail
address and phone number is proposed on three leerbanen; one werkgever invites and accepts, one
declines, the third voordracht ends when the candidate is placed elsewhere; the school accepts,
starts and completes the enrolment. Every organisation has a webhook endpoint, every user
wants every event at once by e-mail, every e-mail is delivered, and every log record is kept.

The rule the code implements (``candidates/notify.py``, ``trajecten/notify.py``): no message,
payload, log line or event row ever holds the BSN, e-mail address or phone number. Webhooks,
log lines and event rows never name the candidate either. The candidate's side (consultant,
registering organisation) and the school read the name; the werkgever reads it only as far as
``candidate_for_employer`` allows in the voordracht's state: named for an open, accepted or
declined voordracht, anonymous ("Kandidaat uit ...") for one that ended without its decision."""

import json
import logging
from types import SimpleNamespace

import pytest
from django.utils import timezone

from candidates import services as candidate_services
from candidates.constants import DeclineReason
from opleidingen.constants import Route
from praktijkleren.accounts.constants import OrganisationKind
from praktijkleren.notifications.constants import Channel, Mode
from praktijkleren.notifications.delivery import outbox_deliver
from praktijkleren.notifications.events import EVENTS
from praktijkleren.notifications.models import Event, OutboxMessage, WebhookEndpoint
from praktijkleren.notifications.services import preference_set
from praktijkleren.notifications.webhooks import secret_generate
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.geo.factories import PostcodeFactory
from tests.opleidingen.factories import (
    MboInstellingFactory,
    MboLocatieFactory,
    OpleidingsaanbodFactory,
)
from tests.trajecten.factories import make_ready
from tests.workflows.conftest import interview, open_leerbaan
from trajecten import services as trajecten_services

pytestmark = pytest.mark.django_db

SURNAME = "Oudewaterveen"
EMAIL = "f.oudewaterveen@voorbeeld.nl"
PHONE = "+31 6 12345678"
BSN = "111222333"
# Never anywhere: the BSN and the contact details (the phone also without its formatting).
NEVER = {"BSN": BSN, "e-mail": EMAIL, "phone": PHONE, "phone digits": "12345678"}
# Not in webhooks, log lines or event rows either: the name.
NOWHERE = {**NEVER, "surname": SURNAME}
# The werkgever reads the name (candidate_for_employer) for these events, not for the others.
EMPLOYER_READS_THE_NAME = {
    "voordracht.made": True,
    "voordracht.invited": True,
    "voordracht.accepted": True,
    "voordracht.declined": True,
    "voordracht.placed_elsewhere": False,
    "enrolment.requested": True,
    "enrolment.accepted": True,
    "enrolment.started": True,
    "enrolment.completed": True,
}


def _found(text):
    return sorted(name for name, value in NOWHERE.items() if value in text)


def _user_of(kind_trait):
    """A user of a new organisation (``kind_trait``: factory trait) that has a webhook
    endpoint, and wants every event it can hear of at once by e-mail."""
    organisation = OrganisationFactory(**kind_trait)
    WebhookEndpoint.objects.create(
        organisation=organisation, url="https://ontvanger.example/hook", secret=secret_generate()
    )
    user = UserFactory(organisation=organisation)
    for name in EVENTS:
        preference_set(user=user, event_type_name=name, mode=Mode.IMMEDIATE)
    return user


@pytest.fixture
def journey(queued, mailoutbox, caplog, django_capture_on_commit_callbacks):
    """The main flow, with every e-mail delivered: the e-mails sent (``mails``), and the
    ``outbox`` rows and ``events`` of its parties (not those another test run may have committed
    to the same database meanwhile)."""
    for name in ["", *logging.root.manager.loggerDict]:
        caplog.set_level(logging.DEBUG, logger=name or None)
    consultant = _user_of({})
    werkgevers = [_user_of({"werkgever": True}) for _ in range(2)]
    school_user = _user_of({"school": True})
    leerbaan = open_leerbaan(werkgevers[0])
    declining, elsewhere = (
        open_leerbaan(werkgevers[1], kwalificatie=leerbaan.kwalificatie) for _ in range(2)
    )
    instelling = MboInstellingFactory(organisation=school_user.organisation)
    MboLocatieFactory(instelling=instelling, lat=52.117, lon=5.12)
    OpleidingsaanbodFactory(instelling=instelling, kwalificatie=leerbaan.kwalificatie)

    with django_capture_on_commit_callbacks(execute=True):
        candidate = candidate_services.candidate_register(
            organisation=consultant.organisation,
            consultant=consultant,
            data={
                "first_name": "Fatima",
                "last_name": SURNAME,
                "bsn": BSN,
                "email": EMAIL,
                "phone": PHONE,
                "postcode": PostcodeFactory(lat=52.09, lon=5.12),
                "wished_kwalificaties": [leerbaan.kwalificatie],
                "route": Route.DIPLOMA,
                "max_travel_km": 30,
                "hours_per_week": 32,
                "earliest_start_date": timezone.localdate(),
                "consent": True,
            },
        )
        made = [
            candidate_services.voordracht_make(candidate=candidate, leerbaan=one, by=consultant)
            for one in (leerbaan, declining, elsewhere)
        ]
        candidate_services.voordracht_decline(
            voordracht=made[1], by=werkgevers[1], reason_code=DeclineReason.GESPREK
        )
        candidate_services.voordracht_invite(voordracht=made[0], by=werkgevers[0], **interview())
        enrolment = trajecten_services.voordracht_accept(voordracht=made[0], by=werkgevers[0])
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

    parties = [u.organisation for u in [consultant, *werkgevers, school_user]]
    outbox = OutboxMessage.objects.filter(organisation__in=parties).select_related("organisation")
    for message_id in outbox.filter(channel=Channel.EMAIL).values_list("pk", flat=True):
        assert outbox_deliver(message_id=message_id) is True
    assert (candidate.bsn, candidate.phone) == (BSN, PHONE)  # stored as given
    assert set(outbox.values_list("kind", flat=True)) == set(EMPLOYER_READS_THE_NAME)
    events = Event.objects.filter(outbox__in=outbox).distinct()
    return SimpleNamespace(mails=mailoutbox, outbox=outbox, events=events)


def test_webhook_payloads_hold_no_personal_data(journey):
    webhooks = journey.outbox.filter(channel=Channel.WEBHOOK)
    kinds = {webhook.organisation.kind for webhook in webhooks}
    assert kinds == {
        OrganisationKind.GEMEENTE,
        OrganisationKind.WERKGEVER,
        OrganisationKind.MBO_INSTELLING,
    }
    for webhook in webhooks:
        assert _found(json.dumps(webhook.payload)) == [], webhook.kind


def test_emails_hold_no_bsn_or_contact_details(journey):
    assert len(journey.mails) == journey.outbox.filter(channel=Channel.EMAIL).count() > 20
    for sent in journey.mails:
        html = "".join(content for content, _mimetype in sent.alternatives)
        found = [name for name, value in NEVER.items() if value in sent.subject + sent.body + html]
        assert found == [], (sent.to, sent.subject)


def test_the_werkgever_reads_the_name_only_as_far_as_its_view_of_the_candidate_allows(journey):
    to_werkgevers = journey.outbox.filter(
        channel=Channel.EMAIL, organisation__kind=OrganisationKind.WERKGEVER
    )
    told = set()
    for message in to_werkgevers:
        named = SURNAME in message.subject + message.body + message.body_html
        assert named is EMPLOYER_READS_THE_NAME[message.kind], message.kind
        told.add(message.kind)
    assert "voordracht.placed_elsewhere" in told  # the anonymous case did happen
    assert {m.user_id is None for m in to_werkgevers} == {True, False}  # mailbox and users


def test_the_candidates_side_and_the_school_read_the_name(journey):
    for kind in [OrganisationKind.GEMEENTE, OrganisationKind.MBO_INSTELLING]:
        to_them = journey.outbox.filter(channel=Channel.EMAIL, organisation__kind=kind)
        assert to_them.exists()
        assert all(SURNAME in message.body for message in to_them), kind


def test_log_records_hold_no_personal_data(journey, caplog):
    records = caplog.get_records("setup")  # the journey is a fixture
    assert {"candidates.services", "praktijkleren.notifications.services"} <= {
        record.name for record in records
    }
    for record in records:
        assert _found(record.getMessage()) == [], record.name


def test_event_rows_hold_no_personal_data(journey):
    events = list(journey.events.values())
    assert len(events) == 11
    for event in events:
        assert _found(json.dumps(event, default=str)) == [], event["type"]
