"""The event registry and ``event_emit``: each event reaches exactly its recipients, on each
channel, with each preference setting (table-driven over the registry)."""

import datetime as dt
import itertools

import pytest
from django.db import transaction

from praktijkleren.accounts.models import Organisation
from praktijkleren.notifications.constants import Channel, Mode, OutboxStatus, Role
from praktijkleren.notifications.events import EVENTS
from praktijkleren.notifications.models import (
    Event,
    Notification,
    OutboxMessage,
    Preference,
    WebhookEndpoint,
)
from praktijkleren.notifications.services import Party, event_emit
from praktijkleren.notifications.webhooks import secret_generate
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.leerbedrijven.factories import LeerbaanFactory

pytestmark = pytest.mark.django_db

ROLES = (Role.CONSULTANT, Role.EMPLOYER, Role.SCHOOL)
# Every fact any event's template reads.
FACTS = {
    "kandidaat": "Kandidaat uit Houten",
    "leerbaan": "Verzorgende IG",
    "leerbedrijf": "Zorggroep",
    "kwalificatie": "25491 Verzorgende-IG",
    "consultant_organisatie": "Gemeente Utrecht",
    "sluitingsdatum": dt.date(2027, 3, 1),
    "plaatsen_vrij": 1,
    "open_voordrachten": 2,
    "redenen": ["8 km van huis"],
    "reden": "",
    "toelichting": "",
    "motivatie": "",
    "gesprek_op": "3 maart 2027 om 10:30",
    "gesprek_plaats": "Kerkstraat 1, Utrecht",
    "gesprek_bericht": "",
    "bericht": "",
    "antwoord": "De kandidaat heeft al een gesprek elders.",
    "status": "Voorgedragen",
    "route": "mbo-diploma",
    "instelling": "ROC Midden Nederland",
    "startdatum": dt.date(2027, 9, 1),
    "zonder_instelling": False,
    "geldig_tot": dt.date(2027, 6, 1),
    "leerbanen": 1,
    "voordrachten": 1,
    "inschrijvingen": 1,
    "behaald_op": dt.date(2027, 7, 1),
    "moment": "Na 30 dagen",
    "gepland_op": dt.date(2027, 10, 1),
    "gehouden_op": None,
    "gemist": True,
}


def _party(role: Role) -> Party:
    """An organisation of ``role`` with a mailbox, a webhook endpoint and one user."""
    kind = {Role.CONSULTANT: {}, Role.EMPLOYER: {"werkgever": True}, Role.SCHOOL: {"school": True}}
    organisation = OrganisationFactory(**kind[role])
    WebhookEndpoint.objects.create(
        organisation=organisation, url="https://ontvanger.example/hook", secret=secret_generate()
    )
    organisation = Organisation.objects.get(pk=organisation.pk)
    user = UserFactory(organisation=organisation)
    return Party(role, organisation, (user,), FACTS)


def _emit(name: str, parties: list[Party], version: int = 1):
    subject = LeerbaanFactory()
    with transaction.atomic():
        return event_emit(type=name, subject=subject, version=version, parties=parties)


@pytest.mark.parametrize(
    ("name", "mode"), list(itertools.product(sorted(EVENTS), [m.value for m in Mode]))
)
def test_each_event_reaches_exactly_its_recipients(
    name, mode, queued, django_capture_on_commit_callbacks
):
    declared = EVENTS[name]
    parties = [_party(role) for role in ROLES]
    for party in parties:
        Preference.objects.create(user=party.users[0], event_type=name, mode=mode)

    with django_capture_on_commit_callbacks(execute=True):
        _emit(name, parties)

    for party in parties:
        user, organisation = party.users[0], party.organisation
        rows = OutboxMessage.objects.filter(organisation=organisation)
        told = party.role in declared.recipients
        effective = mode
        if mode == Mode.OFF and party.role in declared.must_act:
            effective = Mode.IMMEDIATE
        person = told and effective != Mode.OFF
        assert Notification.objects.filter(user=user).exists() is person, (party.role, mode)
        to_user = rows.filter(channel=Channel.EMAIL, user=user)
        assert to_user.exists() is person
        if person:
            expected = OutboxStatus.HELD if effective == Mode.DIGEST else OutboxStatus.PENDING
            assert to_user.get().status == expected
        mailbox = rows.filter(channel=Channel.EMAIL, user__isnull=True)
        assert list(mailbox.values_list("status", flat=True)) == (
            [OutboxStatus.PENDING] if told else []
        )
        assert rows.filter(channel=Channel.WEBHOOK).count() == (1 if told else 0)
    pending = OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
    assert sorted(queued) == sorted(pending.values_list("pk", flat=True))


def test_every_event_has_its_templates_and_a_party():
    from django.template.loader import get_template

    for event in EVENTS.values():
        get_template(f"notifications/email/{event.code}.txt")
        assert event.recipients
        assert event.must_act <= event.recipients


def test_emitting_again_writes_nothing_new(queued):
    parties = [_party(Role.EMPLOYER)]
    subject = LeerbaanFactory()
    with transaction.atomic():
        first = event_emit(type="leerbaan.published", subject=subject, version=7, parties=parties)
        again = event_emit(type="leerbaan.published", subject=subject, version=7, parties=parties)
    assert first == again
    assert Event.objects.count() == 1
    assert OutboxMessage.objects.count() == 3  # the user, the mailbox, the webhook
    with transaction.atomic():
        event_emit(type="leerbaan.published", subject=subject, version=8, parties=parties)
    assert OutboxMessage.objects.count() == 6  # a new version is a new event


def test_a_rollback_leaves_no_event_and_no_task(queued, django_capture_on_commit_callbacks):
    parties = [_party(Role.EMPLOYER)]

    def change_that_fails():
        with transaction.atomic():
            subject = LeerbaanFactory()
            event_emit(type="leerbaan.published", subject=subject, version=1, parties=parties)
            raise LookupError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(LookupError):
        change_that_fails()

    assert not Event.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert queued == []


@pytest.mark.django_db(transaction=True)
def test_emit_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
        event_emit(type="leerbaan.published", subject=LeerbaanFactory(), version=1, parties=[])


def test_an_inactive_user_and_a_missing_address_are_skipped(queued):
    party = _party(Role.EMPLOYER)
    user = party.users[0]
    user.is_active = False
    user.save()
    organisation = party.organisation
    organisation.email = ""
    organisation.save()
    _emit("leerbaan.published", [party])
    assert not Notification.objects.exists()
    assert list(OutboxMessage.objects.values_list("channel", flat=True)) == [Channel.WEBHOOK]


def test_one_address_gets_one_email_per_event(queued):
    party = _party(Role.EMPLOYER)
    user = party.users[0]
    user.email = party.organisation.email
    user.save()
    _emit("leerbaan.published", [party])
    assert OutboxMessage.objects.filter(channel=Channel.EMAIL).count() == 1


def test_the_email_says_why_and_links_to_the_object_and_the_preferences(queued):
    party = _party(Role.EMPLOYER)
    event = _emit("voordracht.made", [party])
    to_user = OutboxMessage.objects.get(channel=Channel.EMAIL, user=party.users[0])
    assert to_user.subject == "Nieuwe voordracht: Kandidaat uit Houten voor Verzorgende IG"
    assert f"http://testserver{event.path}" in to_user.body
    assert "omdat" in to_user.body
    assert "http://testserver/meldingen/voorkeuren/" in to_user.body
    assert 'href="http://testserver/meldingen/voorkeuren/"' in to_user.body_html
    mailbox = OutboxMessage.objects.get(channel=Channel.EMAIL, user__isnull=True)
    assert "http://testserver/organisatie/meldingen/" in mailbox.body
    assert Notification.objects.get().title == to_user.subject


def test_the_user_who_made_the_change_is_not_told_as_a_person(queued):
    party = _party(Role.EMPLOYER)
    colleague = UserFactory(organisation=party.organisation)
    party = Party(party.role, party.organisation, (party.users[0], colleague), FACTS)
    actor = party.users[0]

    with transaction.atomic():
        event_emit(
            type="leerbaan.published",
            subject=LeerbaanFactory(),
            version=1,
            parties=[party],
            actor=actor,
        )

    assert not Notification.objects.filter(user=actor).exists()
    assert Notification.objects.filter(user=colleague).exists()
    rows = OutboxMessage.objects.filter(organisation=party.organisation)
    assert not rows.filter(user=actor).exists()
    assert rows.filter(channel=Channel.EMAIL, user__isnull=True).count() == 1  # the mailbox
    assert rows.filter(channel=Channel.WEBHOOK).count() == 1


@pytest.mark.parametrize(
    ("vervuld", "count", "subject", "says"),
    [
        (
            True,
            1,
            "Vervuld:",
            "is vervuld: alle plaatsen zijn bezet. Er stond nog 1 voordracht open; die is",
        ),
        (False, 2, "Gesloten:", "is gesloten. Er stonden nog 2 voordrachten open; die zijn"),
    ],
)
def test_a_leerbaan_closed_with_open_voordrachten_says_why_and_counts(
    vervuld, count, subject, says
):
    from django.template.loader import render_to_string

    context = {
        **FACTS,
        "vervuld": vervuld,
        "open_voordrachten": count,
        "recipient_name": "Anna",
        "organisation": "Zorggroep",
        "role": "employer",
        "role_label": "de werkgever",
        "url": "https://portaal.example/leerbanen/1/",
        "settings_url": "https://portaal.example/meldingen/voorkeuren/",
        "is_person": True,
        "event_label": "Leerbaan gesloten",
    }
    text = render_to_string(
        "notifications/email/leerbaan_closed_with_open_voordrachten.txt",
        {**context, "base": "notifications/email/base.txt"},
    )
    assert text.strip().startswith(subject)
    assert says in text
