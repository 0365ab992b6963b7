"""Events of voordrachten, with the parties involved (the notification layer,
``praktijkleren.notifications``): who they are and what each may read.

The candidate's side (the registering gemeente or UWV and the candidate's consultant) reads the
candidate's name; the werkgever reads the candidate only as far as ``candidate_for_employer``
allows for the voordracht's new state. No fact ever holds the BSN, contact details or the
benefit status. Each event is emitted by the transition service, in its transaction, with the
transition's log row as its version.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.formats import date_format

from candidates.models import Voordracht, VoordrachtRequest
from candidates.selectors import candidate_for_employer
from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.models import Leerbaan
from leerbedrijven.notify import employer_party, leerbaan_facts, leerbaan_notify
from praktijkleren.notifications.constants import Role
from praktijkleren.notifications.services import Party, event_emit
from praktijkleren.workflow import TransitionLogBase

# The voordracht's transitions and the events they emit.
VOORDRACHT_EVENTS = {
    "make": "voordracht.made",
    "invite": "voordracht.invited",
    "accept": "voordracht.accepted",
    "decline": "voordracht.declined",
    "withdraw": "voordracht.withdrawn",
    "expire": "voordracht.expired",
    "place_elsewhere": "voordracht.placed_elsewhere",
}


def consultant_party(voordracht: Voordracht, facts: dict[str, Any]) -> Party:
    """The candidate's side: the registering organisation and the candidate's consultant."""
    candidate = voordracht.candidate
    return Party(Role.CONSULTANT, candidate.organisation, (candidate.consultant,), facts)


def interview_text(voordracht: Voordracht) -> str:
    """The interview's date and time in Dutch local time ("3 maart 2027 om 10:30"), or ""."""
    if voordracht.interview_at is None:
        return ""
    local = timezone.localtime(voordracht.interview_at)
    return f"{date_format(local, 'j F Y')} om {date_format(local, 'H:i')}"


def voordracht_notify(*, voordracht: Voordracht, log: TransitionLogBase) -> None:
    """Emit the event of the voordracht's transition ``log`` to the candidate's side and the
    werkgever (inside the transition's transaction)."""
    leerbaan = voordracht.leerbaan
    base = {
        **leerbaan_facts(leerbaan),
        "consultant_organisatie": voordracht.candidate.organisation.name,
        "status": voordracht.get_status_display(),
        "reden": voordracht.get_decline_reason_display() if voordracht.decline_reason else "",
        "toelichting": log.reason,
        "redenen": list(voordracht.reasons),
        "motivatie": voordracht.motivation,
        "gesprek_op": interview_text(voordracht),
        "gesprek_plaats": voordracht.interview_place,
        "gesprek_bericht": voordracht.interview_message,
        "bericht": voordracht.decline_message,
    }
    seen = candidate_for_employer(candidate=voordracht.candidate, voordracht=voordracht)
    event_emit(
        type=VOORDRACHT_EVENTS[log.transition],
        subject=voordracht,
        version=log.pk,
        actor=log.by,
        parties=[
            consultant_party(voordracht, {**base, "kandidaat": str(voordracht.candidate)}),
            employer_party(leerbaan.leerbedrijf, {**base, "kandidaat": seen.label}),
        ],
    )


def leerbaan_closed_notify(
    *, leerbaan: Leerbaan, log: TransitionLogBase, open_voordrachten: list[Voordracht]
) -> None:
    """A leerbaan closed (or expired) while ``open_voordrachten`` were open: tell its werkgever
    and the candidate's side of each (without candidates' names: one message per consultant)."""
    if not open_voordrachten:
        return
    count = {
        "open_voordrachten": len(open_voordrachten),
        "vervuld": leerbaan.status == LeerbaanStatus.VERVULD,
    }
    facts = {**leerbaan_facts(leerbaan), **count}
    leerbaan_notify(
        leerbaan=leerbaan,
        type="leerbaan.closed_with_open_voordrachten",
        version=log.pk,
        actor=log.by,
        others=[consultant_party(v, facts) for v in open_voordrachten],
        facts=count,
    )


def voordracht_requested_notify(*, request: VoordrachtRequest) -> None:
    """The werkgever asked for a voordracht (``request``): tell the candidate's consultant and
    its organisation, who must act (inside the request's transaction). The werkgever made it,
    so it is not told."""
    candidate, leerbaan = request.candidate, request.leerbaan
    facts = {
        **leerbaan_facts(leerbaan),
        "kandidaat": str(candidate),
        "bericht": request.message,
    }
    event_emit(
        type="voordracht.requested",
        subject=request,
        version=1,
        actor=request.requested_by,
        parties=[
            Party(Role.CONSULTANT, candidate.organisation, (candidate.consultant,), facts),
        ],
    )


def voordracht_request_declined_notify(*, request: VoordrachtRequest, by: Any) -> None:
    """The consultant ``by`` declined the werkgever's ``request``: tell the werkgever, who reads
    the candidate only as a fitting candidate nobody proposed (anonymously) and the answer."""
    candidate, leerbaan = request.candidate, request.leerbaan
    seen = candidate_for_employer(candidate=candidate)
    facts = {
        **leerbaan_facts(leerbaan),
        "kandidaat": seen.label,
        "consultant_organisatie": candidate.organisation.name,
        "antwoord": request.answer,
    }
    event_emit(
        type="voordracht.request_declined",
        subject=request,
        version=2,
        actor=by,
        parties=[employer_party(leerbaan.leerbedrijf, facts)],
    )
