"""Events of enrolments and erkenningen, with the parties involved (the notification layer,
``praktijkleren.notifications``): the school, the candidate's side and the werkgever.

The school and the candidate's side read the candidate's name (enrolment needs it, domain
primer 'Privacy'); the werkgever reads what ``candidate_for_employer`` allows for the accepted
voordracht. No fact holds the BSN, contact details or the benefit status.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from candidates.models import Candidate, Voordracht
from candidates.selectors import candidate_for_employer
from leerbedrijven.notify import employer_party
from praktijkleren.notifications.constants import Role
from praktijkleren.notifications.services import Party, event_emit
from praktijkleren.workflow import TransitionLogBase, action_of
from trajecten.models import Enrolment

ENROLMENT_EVENTS = {
    "request": "enrolment.requested",
    "choose_instelling": "enrolment.requested",
    "accept": "enrolment.accepted",
    "decline": "enrolment.declined",
    "start": "enrolment.started",
    "complete": "enrolment.completed",
    "stop": "enrolment.stopped",
}


def candidate_side(candidate: Candidate, facts: dict[str, Any]) -> Party:
    """The registering organisation and the candidate's consultant."""
    return Party(Role.CONSULTANT, candidate.organisation, (candidate.consultant,), facts)


def school_party(enrolment: Enrolment, facts: dict[str, Any]) -> Party | None:
    """The school of the enrolment (its organisation and users), or None without one."""
    instelling = enrolment.instelling
    if instelling is None or instelling.organisation is None:
        return None
    organisation = instelling.organisation
    users = tuple(organisation.users.filter(is_active=True).order_by("pk"))
    return Party(Role.SCHOOL, organisation, users, facts)


def enrolment_notify(*, enrolment: Enrolment, log: TransitionLogBase) -> None:
    """Emit the event of the enrolment's transition ``log`` to its school, the candidate's side
    and the werkgever (inside the transition's transaction)."""
    candidate = enrolment.candidate
    facts = {
        "kwalificatie": str(enrolment.kwalificatie),
        "route": enrolment.get_route_display(),
        "instelling": enrolment.instelling.naam if enrolment.instelling else "",
        "leerbaan": enrolment.leerbaan.titel if enrolment.leerbaan else "",
        "leerbedrijf": enrolment.leerbaan.leerbedrijf.naam if enrolment.leerbaan else "",
        "startdatum": enrolment.start_date,
        "status": enrolment.get_status_display(),
        "toelichting": log.reason,
        "reden": _reason_label(log),
        "behaald_op": enrolment.outcome_date,
        "zonder_instelling": enrolment.instelling_id is None,
    }
    named = {**facts, "kandidaat": str(candidate)}
    parties = [candidate_side(candidate, named), school_party(enrolment, named)]
    if enrolment.leerbaan is not None:
        seen = candidate_for_employer(candidate=candidate, voordracht=enrolment.voordracht)
        parties.append(
            employer_party(enrolment.leerbaan.leerbedrijf, {**facts, "kandidaat": seen.label})
        )
    event_emit(
        type=ENROLMENT_EVENTS[log.transition],
        subject=enrolment,
        version=log.pk,
        actor=log.by,
        parties=[party for party in parties if party is not None],
    )


def praktijkverklaring_notify(*, enrolment: Enrolment, verklaring: Any, by: Any) -> None:
    """Tell the candidate's side and the school that ``verklaring``, the praktijkverklaring of
    ``enrolment``, was issued by ``by`` (inside the issue's transaction). Not the werkgever: the
    document is the candidate's. The facts name the candidate, never the document's data."""
    candidate = enrolment.candidate
    facts = {
        "kandidaat": str(candidate),
        "kwalificatie": str(enrolment.kwalificatie),
        "instelling": enrolment.instelling.naam if enrolment.instelling else "",
        "leerbedrijf": enrolment.leerbaan.leerbedrijf.naam if enrolment.leerbaan else "",
    }
    parties = [candidate_side(candidate, facts), school_party(enrolment, facts)]
    event_emit(
        type="praktijkverklaring.issued",
        subject=enrolment,
        version=verklaring.pk,
        actor=by,
        parties=[party for party in parties if party is not None],
    )


def _reason_label(log: TransitionLogBase) -> str:
    """The Dutch label of the log's reason code (why an enrolment was declined or stopped),
    or ""."""
    action = action_of(Enrolment, log.transition)
    if not log.reason_code or action is None or action.reasons is None:
        return ""
    return str(dict(action.reasons.choices).get(log.reason_code, ""))


def checkin_notify(*, enrolment: Enrolment, checkin: Any, missed: bool) -> None:
    """Tell the candidate's consultant and organisation that ``checkin`` of ``enrolment`` flags
    a problem or was missed (``missed``): event ``enrolment.checkin_signal``, once per check-in
    (its id is the version). The facts name the candidate, the kwalificatie, the leerbedrijf
    and the check-in; not its note, never a BSN."""
    facts = {
        "kandidaat": str(enrolment.candidate),
        "kwalificatie": str(enrolment.kwalificatie),
        "leerbedrijf": enrolment.leerbaan.leerbedrijf.naam if enrolment.leerbaan else "",
        "moment": checkin.get_day_display(),
        "gepland_op": checkin.due_on,
        "gehouden_op": checkin.held_on,
        "gemist": missed,
    }
    event_emit(
        type="enrolment.checkin_signal",
        subject=enrolment,
        version=checkin.pk,
        parties=[candidate_side(enrolment.candidate, facts)],
    )


def erkenning_notify(
    *,
    erkenning: Any,
    type: str,
    voordrachten: list[Voordracht],
    enrolments: list[Enrolment],
    leerbanen: int,
) -> None:
    """Tell whoever depends on ``erkenning`` that it ends within 90 days or has ended (``type``
    ``erkenning.ending`` or ``erkenning.ended``): its werkgever, the candidate's side of the
    ``voordrachten`` and ``enrolments`` that depend on it, and the enrolments' schools. The
    version is the end date, so each end is announced once."""
    facts = {
        "leerbedrijf": erkenning.leerbedrijf.naam,
        "kwalificatie": str(erkenning.kwalificatie),
        "geldig_tot": erkenning.geldig_tot,
        "leerbanen": leerbanen,
        "voordrachten": len(voordrachten),
        "inschrijvingen": len(enrolments),
    }
    parties = [employer_party(erkenning.leerbedrijf, facts)]
    parties += [candidate_side(v.candidate, facts) for v in voordrachten]
    for enrolment in enrolments:
        parties.append(candidate_side(enrolment.candidate, facts))
        school = school_party(enrolment, facts)
        if school is not None:
            parties.append(school)
    event_emit(
        type=type,
        subject=erkenning,
        version=erkenning.geldig_tot.toordinal(),
        parties=parties,
        path=reverse("leerbedrijven:leerbaan_list"),
    )
