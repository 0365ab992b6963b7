"""Writes of the notification layer: emitting an event to its parties, preferences, reading.

``event_emit`` is called by the transition services of the domain apps, inside their
transaction, never from a signal. It records the ``Event`` and writes, in that same transaction,
one row per recipient and channel:

- for each person of a party (the consultant; the werkgever's users; the school's users) whose
  preference is not "off": a ``Notification`` in the portal, and an e-mail (``OutboxMessage``,
  pending, or held for the daily digest);
- for the party's organisation: an e-mail to its mailbox (``Organisation.email``) and a
  webhook to its endpoint, when it has one.

Each row's idempotency key names the recipient, the event, the object, its version and the
channel, so the same event never reaches a recipient twice. Rows are delivered after the commit
(``notifications.delivery``); a rollback leaves neither rows nor tasks.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from praktijkleren.accounts.models import Organisation, User
from praktijkleren.notifications import mail
from praktijkleren.notifications.constants import Channel, Mode, OutboxStatus, Role
from praktijkleren.notifications.delivery import delivery_queue_on_commit
from praktijkleren.notifications.events import EventType, event_type
from praktijkleren.notifications.models import Event, Notification, OutboxMessage, Preference
from praktijkleren.notifications.webhooks import cloudevent_build

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Party:
    """One party an event concerns: its ``role``, its ``organisation`` (mailbox and webhook),
    the ``users`` of it who hear of it as persons, and ``facts``: the template context of what
    this party may read about the event (never more than its role may see)."""

    role: Role
    organisation: Organisation
    users: tuple[User, ...] = ()
    facts: dict[str, Any] = dataclasses.field(default_factory=dict)


def event_emit(
    *,
    type: str,
    subject: models.Model,
    version: int,
    parties: Iterable[Party],
    path: str | None = None,
    actor: User | None = None,
) -> Event | None:
    """Record event ``type`` (a name from ``notifications.events``) of ``subject`` (a model
    instance) at ``version`` (e.g. the transition log row's id) and write what tells each of
    ``parties`` whose role the event names. ``path`` is the page the messages link to (default
    ``subject.get_absolute_url()``). ``actor``, the user who made the change, is not told as a
    person (the change is theirs); their organisation's mailbox and webhook are. Must run inside
    the
    caller's ``transaction.atomic()`` (``RuntimeError`` otherwise).

    Emitting the same type, subject and version again writes nothing new. Returns the event, or
    None when no party was left to tell. Raises ``KeyError`` for an undeclared event type.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("event_emit() must run inside the change's transaction.atomic().")
    declared = event_type(type)
    told = [party for party in parties if party.role in declared.recipients]
    if not told:
        return None
    event, created = Event.objects.get_or_create(
        type=type,
        subject_type=subject._meta.model_name,
        subject_id=subject.pk,
        version=version,
        defaults={"path": path or subject.get_absolute_url()},  # type: ignore[attr-defined]
    )
    if not created:
        return event
    seen_addresses: set[str] = set()
    for party in told:
        _tell(event, declared, party, seen_addresses, actor)
    logger.info("Event %s %s:%s v%s emitted", type, event.subject_type, subject.pk, version)
    return event


def _key(channel: str, recipient: str, event: Event) -> str:
    return (
        f"{channel}:{recipient}:{event.type}:{event.subject_type}:{event.subject_id}"
        f":v{event.version}"
    )[:200]


def _tell(
    event: Event,
    declared: EventType,
    party: Party,
    seen_addresses: set[str],
    actor: User | None,
) -> None:
    """Write the party's rows: its people (but the actor) per their preference, its mailbox and
    its webhook."""
    for user in party.users:
        if user.is_active and (actor is None or user.pk != actor.pk):
            _tell_user(event, declared, party, user, seen_addresses)
    organisation = party.organisation
    if organisation.email and organisation.email.lower() not in seen_addresses:
        seen_addresses.add(organisation.email.lower())
        rendered = mail.render(event, declared, party, recipient_name=organisation.name, user=None)
        _email(event, organisation, None, organisation.email, rendered, OutboxStatus.PENDING)
    endpoint = getattr(organisation, "webhook_endpoint", None)
    if endpoint is not None and endpoint.is_active:
        _webhook(event, organisation, endpoint)


def preference_mode(user: User, declared: EventType, role: Role) -> str:
    """How ``user`` hears of ``declared`` events in ``role``: its ``Preference``, else at once;
    never "off" for an event its role must act on (then at once)."""
    mode = (
        Preference.objects.filter(user=user, event_type=declared.name)
        .values_list("mode", flat=True)
        .first()
    ) or Mode.IMMEDIATE
    if mode == Mode.OFF and role in declared.must_act:
        return Mode.IMMEDIATE
    return mode


def _tell_user(
    event: Event, declared: EventType, party: Party, user: User, seen_addresses: set[str]
) -> None:
    mode = preference_mode(user, declared, party.role)
    if mode == Mode.OFF:
        return
    name = user.get_full_name() or user.username
    rendered = mail.render(event, declared, party, recipient_name=name, user=user)
    Notification.objects.get_or_create(
        user=user, event=event, defaults={"title": rendered.subject[:200]}
    )
    if user.email and user.email.lower() not in seen_addresses:
        seen_addresses.add(user.email.lower())
        status = OutboxStatus.HELD if mode == Mode.DIGEST else OutboxStatus.PENDING
        _email(event, party.organisation, user, user.email, rendered, status)


def _email(
    event: Event,
    organisation: Organisation,
    user: User | None,
    address: str,
    rendered: mail.Rendered,
    status: str,
) -> None:
    recipient = f"user{user.pk}" if user else f"org{organisation.pk}"
    message, created = OutboxMessage.objects.get_or_create(
        idempotency_key=_key(Channel.EMAIL, recipient, event),
        defaults={
            "event": event,
            "channel": Channel.EMAIL,
            "organisation": organisation,
            "user": user,
            "kind": event.type,
            "to_email": address,
            "subject": rendered.subject[:200],
            "body": rendered.text,
            "body_html": rendered.html,
            "status": status,
        },
    )
    if created and status == OutboxStatus.PENDING:
        delivery_queue_on_commit(message.pk)


def _webhook(event: Event, organisation: Organisation, endpoint: Any) -> None:
    payload = cloudevent_build(
        event_id=str(event.uuid),
        event_type=event.type,
        subject_type=event.subject_type,
        subject_id=event.subject_id,
        url=absolute_url(event.path),
        time=timezone.now(),
    )
    message, created = OutboxMessage.objects.get_or_create(
        idempotency_key=_key(Channel.WEBHOOK, f"endpoint{endpoint.pk}", event),
        defaults={
            "event": event,
            "channel": Channel.WEBHOOK,
            "organisation": organisation,
            "endpoint": endpoint,
            "kind": event.type,
            "payload": payload,
        },
    )
    if created:
        delivery_queue_on_commit(message.pk)


def absolute_url(path: str) -> str:
    """``path`` on the portal's public address (``settings.PORTAL_URL``)."""
    return settings.PORTAL_URL.rstrip("/") + path


def preferences_url() -> str:
    """The absolute URL of the page where a user sets its preferences."""
    return absolute_url(reverse("notifications:preferences"))


# --- the notification centre -----------------------------------------------------------------


def notification_mark_read(*, notification: Notification, user: User) -> Notification:
    """Mark ``notification`` (of ``user``: another user's is refused with ``PermissionError``)
    as read now; reading it again changes nothing."""
    if notification.user_id != user.pk:
        raise PermissionError
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of ``user`` as read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preference_set(*, user: User, event_type_name: str, mode: str) -> Preference:
    """Store how ``user`` hears of ``event_type_name`` events (``Mode``). Raises ``KeyError``
    for an unknown event and ``ValueError`` for an unknown mode."""
    event_type(event_type_name)
    if mode not in Mode.values:
        raise ValueError(mode)
    preference, _created = Preference.objects.update_or_create(
        user=user, event_type=event_type_name, defaults={"mode": mode}
    )
    return preference


def outbox_resend(*, messages: QuerySet[OutboxMessage]) -> int:
    """Give the failed ones of ``messages`` a fresh set of attempts (the delivery log's
    "Opnieuw versturen"): back to pending, due now, queued after the commit. Returns how many."""
    with transaction.atomic():
        ids = list(
            messages.select_for_update()
            .filter(status=OutboxStatus.FAILED)
            .values_list("pk", flat=True)
        )
        OutboxMessage.objects.filter(pk__in=ids).update(
            status=OutboxStatus.PENDING, attempts=0, claimed_at=None, next_attempt_at=timezone.now()
        )
        for message_id in ids:
            delivery_queue_on_commit(message_id)
    return len(ids)


# What an e-mail about an anonymised candidate says instead of its text.
REDACTED_BODY = (
    "De inhoud van dit bericht is verwijderd: de gegevens van de kandidaat zijn geanonimiseerd."
)


def events_redact(*, subjects: dict[str, list[int]]) -> int:
    """Remove the personal text from what the portal told about the given objects
    (``subjects``: model name → pks): each notification's title and each e-mail's subject become
    the event's Dutch label, the e-mail's text a fixed sentence (``REDACTED_BODY``), so a
    candidate's name leaves the outbox and the notification centres (retention and erasure,
    ``docs/privacy.md``). Recipients, channels, statuses and dates stay. Runs in the caller's
    transaction; running it again changes nothing. Returns how many rows changed."""
    condition = models.Q(pk__in=[])
    for subject_type, ids in subjects.items():
        condition |= models.Q(subject_type=subject_type, subject_id__in=list(ids))
    changed = 0
    events = Event.objects.filter(condition)
    for type_ in events.order_by().values_list("type", flat=True).distinct():
        label = str(event_type(type_).label)[:200]
        of_type = events.filter(type=type_)
        changed += (
            Notification.objects.filter(event__in=of_type).exclude(title=label).update(title=label)
        )
        changed += (
            OutboxMessage.objects.filter(event__in=of_type, channel=Channel.EMAIL)
            .exclude(subject=label, body=REDACTED_BODY, body_html="")
            .update(subject=label, body=REDACTED_BODY, body_html="")
        )
    return changed
