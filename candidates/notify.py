"""E-mail about voordrachten: every transition of a voordracht is told to the organisation that
registered the candidate and to the werkgever of the leerbaan (domain primer: "At every change
of a match ... the gemeente or UWV that registered the candidate, ... and the employer involved
are told").

The werkgever's message names the candidate only as far as ``candidate_for_employer`` allows for
the voordracht's new state; no message ever holds the BSN or the benefit status (primer,
'Privacy'). Messages go to the outbox inside the transition's transaction
(``notification_queue``), keyed by the transition's log row so each is written once.
"""

from django.utils.translation import gettext as _

from candidates.constants import VoordrachtStatus
from candidates.models import Voordracht
from candidates.selectors import candidate_for_employer
from opleidingen.constants import Route
from praktijkleren.notifications.services import notification_queue
from praktijkleren.workflow import TransitionLogBase


def _facts(voordracht: Voordracht, log: TransitionLogBase) -> dict[str, str]:
    leerbaan = voordracht.leerbaan
    old = VoordrachtStatus(log.from_state).label if log.from_state else ""
    return {
        "leerbaan": leerbaan.titel,
        "leerbedrijf": leerbaan.leerbedrijf.naam,
        "kwalificatie": str(leerbaan.kwalificatie),
        "van": str(old),
        "naar": str(VoordrachtStatus(log.to_state).label),
        "consultant_organisatie": voordracht.candidate.organisation.name,
    }


def _for_consultant(voordracht: Voordracht, facts: dict[str, str]) -> tuple[str, str]:
    facts = {**facts, "kandidaat": str(voordracht.candidate)}
    subject = _("Voordracht %(naar)s – %(leerbaan)s") % facts
    if facts["van"]:
        body = _(
            "De voordracht van %(kandidaat)s voor de leerbaan %(leerbaan)s bij %(leerbedrijf)s "
            "(kwalificatie %(kwalificatie)s) is gewijzigd van '%(van)s' in '%(naar)s'."
        )
    else:
        body = _(
            "%(kandidaat)s is voorgedragen voor de leerbaan %(leerbaan)s bij %(leerbedrijf)s "
            "(kwalificatie %(kwalificatie)s)."
        )
    return subject, body % facts


def _for_werkgever(voordracht: Voordracht, facts: dict[str, str]) -> tuple[str, str]:
    seen = candidate_for_employer(candidate=voordracht.candidate, voordracht=voordracht)
    facts = {**facts, "kandidaat": seen.label}
    if facts["van"]:
        subject = _("Voordracht gewijzigd: %(naar)s – %(leerbaan)s") % facts
        body = (
            _(
                "De voordracht van %(kandidaat)s voor uw leerbaan %(leerbaan)s is gewijzigd "
                "van '%(van)s' in '%(naar)s'."
            )
            % facts
        )
        return subject, body
    subject = _("Voordracht voor uw leerbaan %(leerbaan)s") % facts
    details = {
        "route": Route(voordracht.candidate.route).label,
        "uren": seen.hours_per_week,
        "start": seen.earliest_start_date.isoformat() if seen.earliest_start_date else "",
        "redenen": "\n".join(f"- {reason}" for reason in voordracht.reasons),
    }
    body = (
        _(
            "%(consultant_organisatie)s heeft %(kandidaat)s voorgedragen voor uw "
            "leerbaan %(leerbaan)s (kwalificatie %(kwalificatie)s)."
        )
        % facts
        + "\n\n"
        + _(
            "Gewenste route: %(route)s\nUren per week: %(uren)s\n"
            "Vroegste startdatum: %(start)s\n\nWaarom deze kandidaat past:\n%(redenen)s"
        )
        % details
    )
    return subject, body


def voordracht_notify(*, voordracht: Voordracht, log: TransitionLogBase) -> None:
    """Queue the e-mails about the transition ``log`` of ``voordracht`` (inside the caller's
    transaction): one to the candidate's organisation, one to the leerbaan's werkgever."""
    facts = _facts(voordracht, log)
    recipients = (
        (voordracht.candidate.organisation, _for_consultant(voordracht, facts)),
        (voordracht.leerbaan.leerbedrijf.organisation, _for_werkgever(voordracht, facts)),
    )
    for organisation, (subject, body) in recipients:
        notification_queue(
            organisation=organisation,
            event=f"voordracht.{log.transition}",
            idempotency_key=f"voordracht:{voordracht.pk}:{log.pk}:org:{organisation.pk}",
            subject=subject[:200],
            body=body,
        )
