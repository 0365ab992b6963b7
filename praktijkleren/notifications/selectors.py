"""Reads of the notification layer."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from praktijkleren.accounts.constants import CONSULTANT_KINDS, OrganisationKind
from praktijkleren.accounts.models import Organisation
from praktijkleren.accounts.selectors import PortalUser, organisation_of
from praktijkleren.notifications.constants import Role
from praktijkleren.notifications.events import EVENTS, EventType
from praktijkleren.notifications.models import Event, Notification, OutboxMessage

# The role a user's organisation plays in events.
_ROLE_OF_KIND = {
    **dict.fromkeys(CONSULTANT_KINDS, Role.CONSULTANT),
    OrganisationKind.WERKGEVER: Role.EMPLOYER,
    OrganisationKind.MBO_INSTELLING: Role.SCHOOL,
}


def notifications_of(*, user: PortalUser) -> QuerySet[Notification]:
    """``user``'s notifications, newest first, with their events (none for anonymous)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user).select_related("event")


def unread_count(*, user: PortalUser) -> int:
    """How many of ``user``'s notifications are unread (0 for anonymous). One query."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def role_of(*, user: PortalUser) -> Role | None:
    """The role ``user``'s organisation plays in events, or None (beheer, no organisation)."""
    organisation = organisation_of(user)
    return _ROLE_OF_KIND.get(OrganisationKind(organisation.kind)) if organisation else None


def event_types_for(*, user: PortalUser) -> list[EventType]:
    """The event types ``user`` can hear of as a person, in the registry's order."""
    role = role_of(user=user)
    return [event for event in EVENTS.values() if role is not None and role in event.recipients]


def delivery_log_of(*, organisation: Organisation) -> QuerySet[OutboxMessage]:
    """Every outbox row to ``organisation`` or its people, newest first."""
    return (
        OutboxMessage.objects.filter(organisation=organisation)
        .select_related("user", "endpoint")
        .order_by("-created_at", "-pk")
    )


def events_about(*, subjects: dict[str, list[int]]) -> QuerySet[Event]:
    """The events about the given objects (``subjects``: model name → pks, e.g.
    ``{"enrolment": [3, 4]}``), oldest first, with their outbox rows (and each row's
    organisation) and notifications prefetched: what the portal told whom about them (the
    candidate's inzage). An empty mapping gives no events."""
    condition = models.Q(pk__in=[])
    for subject_type, ids in subjects.items():
        condition |= models.Q(subject_type=subject_type, subject_id__in=list(ids))
    return (
        Event.objects.filter(condition)
        .order_by("occurred_at", "pk")
        .prefetch_related(
            models.Prefetch(
                "outbox", OutboxMessage.objects.select_related("organisation").order_by("pk")
            ),
            models.Prefetch(
                "notifications", Notification.objects.select_related("user").order_by("pk")
            ),
        )
    )
