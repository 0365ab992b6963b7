"""The e-mail of an event for one recipient, from the event's template files.

Each event has one template, ``notifications/email/<code>.txt``, that extends the base given in
its context (``{% extends base %}``) and fills two blocks: ``subject`` and ``lead`` (what
happened, in one or two sentences, with only the facts the party may read). It is rendered
twice, on ``notifications/email/base.txt`` and on ``base.html``: the bases add the greeting, the
link to the object, why the recipient gets the message and where to change that.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from praktijkleren.notifications.constants import Role
from praktijkleren.notifications.events import EventType

if TYPE_CHECKING:
    from praktijkleren.accounts.models import User
    from praktijkleren.notifications.models import Event
    from praktijkleren.notifications.services import Party


@dataclasses.dataclass(frozen=True)
class Rendered:
    """One recipient's e-mail: ``subject`` (one line), ``text`` and ``html`` bodies."""

    subject: str
    text: str
    html: str


def _url(path: str) -> str:
    return settings.PORTAL_URL.rstrip("/") + path


def render(
    event: Event, declared: EventType, party: Party, *, recipient_name: str, user: User | None
) -> Rendered:
    """Render event ``declared`` for one recipient of ``party``: a person (``user``) or the
    organisation's mailbox (``user`` None: its settings page instead of personal preferences)."""
    context: dict[str, Any] = {
        **party.facts,
        "event_label": declared.label,
        "recipient_name": recipient_name,
        "organisation": party.organisation.name,
        "role": str(party.role),
        "role_label": Role(party.role).label,
        "url": _url(event.path),
        "settings_url": _url(
            reverse("notifications:preferences")
            if user is not None
            else reverse("notifications:organisation_settings")
        ),
        "is_person": user is not None,
    }
    template = f"notifications/email/{declared.code}.txt"
    text = render_to_string(template, {**context, "base": "notifications/email/base.txt"})
    html = render_to_string(template, {**context, "base": "notifications/email/base.html"})
    subject, _newline, body = text.strip().partition("\n")
    return Rendered(subject=subject.strip(), text=body.strip() + "\n", html=html)
