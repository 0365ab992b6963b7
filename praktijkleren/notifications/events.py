"""The event registry: every event the portal tells parties about, declared once, with the
roles that hear of it and the roles that must act on it (the notifications issue).

The domain app that makes the change emits the event from its transition service
(``notifications.services.event_emit``) with the parties involved (``Party``): the candidate's
consultant and organisation, the werkgever, the school. This registry decides which of them hear
it; a party that is not involved is never passed, so it hears nothing. A role in ``must_act``
cannot switch the event off in its preferences (it can only move it to the daily digest).

Each event has its e-mail templates in ``templates/notifications/email/<code>.txt`` (first line
the subject) and ``.html``, where ``<code>`` is the name with ``_`` for ``.``.
"""

from __future__ import annotations

import dataclasses

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from praktijkleren.notifications.constants import Role

C, E, S = Role.CONSULTANT, Role.EMPLOYER, Role.SCHOOL
CANDIDATE_SIDE = frozenset({C, Role.CASE_TEAM})


@dataclasses.dataclass(frozen=True)
class EventType:
    """One kind of event: ``name`` (``"voordracht.accepted"``), a Dutch ``label``, the roles that
    hear of it (``recipients``) and those that must act on it (``must_act``)."""

    name: str
    label: str | Promise
    recipients: frozenset[Role]
    must_act: frozenset[Role] = frozenset()

    @property
    def code(self) -> str:
        """The name as a template name: ``voordracht_accepted``."""
        return self.name.replace(".", "_")


def _event(name: str, label: str | Promise, recipients: set[Role], must_act: set[Role] = set()):  # noqa: B006
    return EventType(name, label, frozenset(recipients), frozenset(must_act))


ALL_PARTIES = {*CANDIDATE_SIDE, E, S}
EVENTS: dict[str, EventType] = {
    event.name: event
    for event in (
        # Voordrachten: the candidate's side and the werkgever.
        _event("voordracht.made", _("Nieuwe voordracht"), {*CANDIDATE_SIDE, E}, {E}),
        _event("voordracht.invited", _("Kandidaat uitgenodigd"), {*CANDIDATE_SIDE, E}, {C}),
        _event("voordracht.accepted", _("Kandidaat aangenomen"), {*CANDIDATE_SIDE, E}, {C}),
        _event("voordracht.declined", _("Voordracht afgewezen"), {*CANDIDATE_SIDE, E}, {C}),
        _event("voordracht.withdrawn", _("Voordracht ingetrokken"), {*CANDIDATE_SIDE, E}),
        _event("voordracht.expired", _("Voordracht verlopen"), {*CANDIDATE_SIDE, E}, {C}),
        _event(
            "voordracht.placed_elsewhere", _("Kandidaat elders geplaatst"), {*CANDIDATE_SIDE, E}
        ),
        # The werkgever's request for a voordracht (the reverse match) and its refusal.
        _event("voordracht.requested", _("Verzoek om voordracht"), {*CANDIDATE_SIDE}, {C}),
        _event("voordracht.request_declined", _("Verzoek om voordracht afgewezen"), {E}),
        # Leerbanen: the werkgever; once closed, the candidates' side of its open voordrachten.
        _event("leerbaan.published", _("Leerbaan gepubliceerd"), {E}),
        _event("leerbaan.closing_in_7_days", _("Leerbaan sluit over 7 dagen"), {E}, {E}),
        _event("leerbaan.closing_in_1_day", _("Leerbaan sluit morgen"), {E}, {E}),
        _event(
            "leerbaan.closed_with_open_voordrachten",
            _("Leerbaan gesloten of vervuld met open voordrachten"),
            {*CANDIDATE_SIDE, E},
            {C},
        ),
        # Enrolments: the school, the candidate's side and the werkgever.
        _event("enrolment.requested", _("Inschrijving aangevraagd"), ALL_PARTIES, {S, C}),
        _event("enrolment.accepted", _("Inschrijving geaccepteerd"), ALL_PARTIES),
        _event("enrolment.declined", _("Inschrijving afgewezen"), ALL_PARTIES, {C}),
        _event("enrolment.started", _("Opleiding gestart"), ALL_PARTIES),
        _event("enrolment.completed", _("Opleiding afgerond"), ALL_PARTIES),
        _event("enrolment.stopped", _("Inschrijving gestopt"), ALL_PARTIES, {C}),
        # The praktijkverklaring: the candidate's side and the school (not the werkgever).
        _event(
            "praktijkverklaring.issued", _("Praktijkverklaring uitgegeven"), {*CANDIDATE_SIDE, S}
        ),
        # A check-in 30, 60 or 90 days after the start flags a problem or was missed.
        _event(
            "enrolment.checkin_signal", _("Signaal uit een voortgangsgesprek"), CANDIDATE_SIDE, {C}
        ),
        # Erkenningen: whoever depends on one that ends.
        _event("erkenning.ending", _("Erkenning loopt binnen 90 dagen af"), ALL_PARTIES, {E}),
        _event("erkenning.ended", _("Erkenning is afgelopen"), ALL_PARTIES, {E, C}),
    )
}


def event_type(name: str) -> EventType:
    """The declaration of event ``name``; ``KeyError`` for an event nobody declared."""
    return EVENTS[name]
