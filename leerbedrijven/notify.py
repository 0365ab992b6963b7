"""Events of leerbanen and the werkgever as a party (the notification layer,
``praktijkleren.notifications``). The werkgever is its organisation (the contact mailbox and
the webhook) and its active users."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from leerbedrijven.models import Leerbaan, Leerbedrijf
from praktijkleren.notifications.constants import Role
from praktijkleren.notifications.services import Party, event_emit


def employer_party(leerbedrijf: Leerbedrijf, facts: dict[str, Any]) -> Party:
    """The werkgever of ``leerbedrijf``: its organisation and active users, reading ``facts``."""
    organisation = leerbedrijf.organisation
    users = tuple(organisation.users.filter(is_active=True).order_by("pk"))
    return Party(Role.EMPLOYER, organisation, users, facts)


def leerbaan_facts(leerbaan: Leerbaan) -> dict[str, Any]:
    """What every party may read about ``leerbaan`` in a message (no personal data)."""
    return {
        "leerbaan": leerbaan.titel,
        "leerbedrijf": leerbaan.leerbedrijf.naam,
        "kwalificatie": str(leerbaan.kwalificatie),
        "sluitingsdatum": leerbaan.closing_date,
        "plaatsen_vrij": leerbaan.places_left,
    }


def leerbaan_notify(
    *,
    leerbaan: Leerbaan,
    type: str,
    version: int,
    others: Iterable[Party] = (),
    facts: dict[str, Any] | None = None,
    actor: Any = None,
    path: str | None = None,
) -> None:
    """Emit leerbaan event ``type`` (``leerbaan.*``) at ``version`` to its werkgever, reading
    ``leerbaan_facts`` and ``facts``, and to the ``others`` (the candidate's side of its open
    voordrachten, composed by ``candidates``), inside the caller's transaction; ``actor`` (who
    made the change, None for a scheduled job) is not told as a person. ``path``: the page the
    messages open (default the leerbaan's page)."""
    werkgever_facts = {**leerbaan_facts(leerbaan), **(facts or {})}
    parties = [employer_party(leerbaan.leerbedrijf, werkgever_facts), *others]
    event_emit(
        type=type, subject=leerbaan, version=version, parties=parties, actor=actor, path=path
    )
