"""Writes on candidates and matches: the aanmelding, the voordracht and a match's status changes.

A match runs voorgesteld → voorgedragen → uitgenodigd → geplaatst, and can end as afgewezen or
ingetrokken (domain primer, 'the main flow', steps 2–4). ``MATCH_TRANSITIONS`` is the one table of
allowed changes; ``match_status_change`` refuses every other change. At every change the
organisation that registered the candidate is told by e-mail, and the werkgever too once it is
involved (from the voordracht on) — primer: "At every change of a match ... the gemeente or UWV
that registered the candidate, ... and the employer involved are told". A werkgever's message
never holds the BSN or the benefit status (primer, 'Privacy').
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.constants import MatchStatus
from candidates.models import Candidate, Match
from candidates.selectors import match_evaluate
from leerbedrijven.models import Leerbaan
from leerbedrijven.selectors import leerbaan_places_left
from leerbedrijven.services import leerbaan_mark_vervuld_if_full
from opleidingen.constants import Route
from praktijkleren.accounts.constants import CONSULTANT_KINDS, OrganisationKind
from praktijkleren.accounts.models import Organisation
from praktijkleren.notifications.services import notification_queue

logger = logging.getLogger(__name__)

S = MatchStatus
# The allowed status changes of a match (the matching issue); the last three are terminal.
MATCH_TRANSITIONS: dict[str, frozenset[str]] = {
    S.VOORGESTELD: frozenset({S.VOORGEDRAGEN, S.INGETROKKEN}),
    S.VOORGEDRAGEN: frozenset({S.UITGENODIGD, S.AFGEWEZEN, S.INGETROKKEN}),
    S.UITGENODIGD: frozenset({S.GEPLAATST, S.AFGEWEZEN, S.INGETROKKEN}),
    S.GEPLAATST: frozenset(),
    S.AFGEWEZEN: frozenset(),
    S.INGETROKKEN: frozenset(),
}
# Who may set which status: the consultant's organisation proposes and withdraws; the werkgever
# of the leerbaan's leerbedrijf invites, places and declines.
CONSULTANT_STATUSES = frozenset({S.VOORGEDRAGEN, S.INGETROKKEN})
WERKGEVER_STATUSES = frozenset({S.UITGENODIGD, S.GEPLAATST, S.AFGEWEZEN})


def _organisation_of(user) -> Organisation | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.organisation if user.organisation_id else None


def _is_consultant_of(user, candidate: Candidate) -> bool:
    """``user`` works for the gemeente or UWV that registered ``candidate``."""
    organisation = _organisation_of(user)
    return (
        organisation is not None
        and organisation.kind in CONSULTANT_KINDS
        and organisation.pk == candidate.organisation_id
    )


def _is_werkgever_of(user, leerbaan: Leerbaan) -> bool:
    """``user`` works for the werkgever organisation of ``leerbaan``'s leerbedrijf."""
    organisation = _organisation_of(user)
    return (
        organisation is not None
        and organisation.kind == OrganisationKind.WERKGEVER
        and organisation.pk == leerbaan.leerbedrijf.organisation_id
    )


def candidate_register(
    *, organisation: Organisation, consultant, data: dict[str, Any]
) -> Candidate:
    """The aanmelding (primer, 'the main flow', step 1): create a candidate of ``organisation``
    (a gemeente or UWV) followed by ``consultant`` (a user of it).

    ``data`` holds the ``Candidate`` fields (``postcode`` a ``Postcode``; ``wished_kwalificaties``
    and ``wished_dossiers`` iterables) and ``consent`` (bool): the toestemming, recorded as
    ``consent_given_at`` = now. Raises ``PermissionDenied`` when ``organisation`` is not a
    gemeente or UWV or ``consultant`` is not one of its users, ``ValidationError`` when the
    candidate breaks a model rule or wishes nothing.
    """
    if organisation.kind not in CONSULTANT_KINDS or consultant.organisation_id != organisation.pk:
        raise PermissionDenied
    fields = dict(data)
    consent = bool(fields.pop("consent", False))
    wished_kwalificaties = list(fields.pop("wished_kwalificaties", None) or [])
    wished_dossiers = list(fields.pop("wished_dossiers", None) or [])
    if not wished_kwalificaties and not wished_dossiers:
        raise ValidationError(_("Kies ten minste één gewenste kwalificatie of één dossier."))
    candidate = Candidate(
        organisation=organisation,
        consultant=consultant,
        consent_given_at=timezone.now() if consent else None,
        **fields,
    )
    candidate.full_clean()
    with transaction.atomic():
        candidate.save()
        candidate.wished_kwalificaties.set(wished_kwalificaties)
        candidate.wished_dossiers.set(wished_dossiers)
    logger.info("Candidate %s registered by organisation %s", candidate.pk, organisation.pk)
    return candidate


def _notify(*, match: Match, old_status: str, werkgever_too: bool) -> None:
    """Queue the e-mails for ``match``'s change from ``old_status`` (inside the transaction).

    The consultant's organisation gets the candidate's name; the werkgever gets what a proposal
    needs (name, route, hours, start date, reasons) and never the BSN or benefit status.
    """
    candidate, leerbaan = match.candidate, match.leerbaan
    new_label = MatchStatus(match.status).label
    old_label = MatchStatus(old_status).label
    facts = {
        "kandidaat": f"{candidate.first_name} {candidate.last_name}",
        "leerbaan": leerbaan.titel,
        "leerbedrijf": leerbaan.leerbedrijf.naam,
        "kwalificatie": str(leerbaan.kwalificatie),
        "van": old_label,
        "naar": new_label,
        "consultant_organisatie": candidate.organisation.name,
    }
    recipients = [
        (
            candidate.organisation,
            _("Match gewijzigd: %(naar)s – %(leerbaan)s") % facts,
            _(
                "De match van %(kandidaat)s met de leerbaan %(leerbaan)s bij %(leerbedrijf)s "
                "(kwalificatie %(kwalificatie)s) is gewijzigd van '%(van)s' in '%(naar)s'."
            )
            % facts,
        )
    ]
    if werkgever_too:
        if match.status == MatchStatus.VOORGEDRAGEN:
            subject = _("Voordracht voor uw leerbaan %(leerbaan)s") % facts
            details = {
                "route": Route(candidate.route).label,
                "uren": candidate.hours_per_week,
                "start": candidate.earliest_start_date.isoformat(),
                "redenen": "\n".join(f"- {reason}" for reason in match.reasons),
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
        else:
            subject = _("Voordracht gewijzigd: %(naar)s – %(leerbaan)s") % facts
            body = (
                _(
                    "De voordracht van %(kandidaat)s voor uw leerbaan %(leerbaan)s is gewijzigd "
                    "van '%(van)s' in '%(naar)s'."
                )
                % facts
            )
        recipients.append((leerbaan.leerbedrijf.organisation, subject, body))
    for organisation, subject, body in recipients:
        notification_queue(
            organisation=organisation,
            event=f"match.{match.status}",
            idempotency_key=f"match:{match.pk}:{old_status}>{match.status}:org:{organisation.pk}",
            subject=subject[:200],
            body=body,
        )


def _transition(*, match: Match, status: str, by) -> Match:
    """Change the locked ``match`` to ``status`` (see ``match_status_change``)."""
    candidate, leerbaan = match.candidate, match.leerbaan
    is_consultant = _is_consultant_of(by, candidate)
    is_werkgever = _is_werkgever_of(by, leerbaan)
    if not (is_consultant or is_werkgever):
        raise PermissionDenied
    old_status = match.status
    if status not in MATCH_TRANSITIONS[old_status]:
        raise ValidationError(
            _("Een match kan niet van '%(van)s' naar '%(naar)s'.")
            % {"van": MatchStatus(old_status).label, "naar": MatchStatus(status).label},
            code="invalid_transition",
        )
    if (status in CONSULTANT_STATUSES and not is_consultant) or (
        status in WERKGEVER_STATUSES and not is_werkgever
    ):
        raise PermissionDenied
    update_fields = ["status", "updated_at"]
    if status == MatchStatus.VOORGEDRAGEN:
        if candidate.consent_given_at is None:
            raise ValidationError(
                _("De kandidaat heeft geen toestemming gegeven om het profiel te delen."),
                code="no_consent",
            )
        # Re-read the leerbaan (places, erkenning) so the hard rules see the current state.
        evaluation = match_evaluate(candidate=candidate, leerbaan=leerbaan)
        match.score, match.reasons = evaluation.score, evaluation.reasons
        update_fields += ["score", "reasons"]
    if status == MatchStatus.GEPLAATST:
        # Serialise placements on the leerbaan so two of them never take the last place.
        leerbaan = Leerbaan.objects.select_for_update().get(pk=leerbaan.pk)
        if leerbaan_places_left(leerbaan=leerbaan) <= 0:
            raise ValidationError(
                _("De leerbaan %(leerbaan)s heeft geen plaatsen meer.") % {"leerbaan": leerbaan},
                code="no_places_left",
            )
    match.status = status
    match.save(update_fields=update_fields)
    if status == MatchStatus.GEPLAATST:
        leerbaan_mark_vervuld_if_full(leerbaan=leerbaan)
    _notify(
        match=match,
        old_status=old_status,
        werkgever_too=status == MatchStatus.VOORGEDRAGEN or old_status != MatchStatus.VOORGESTELD,
    )
    logger.info("Match %s changed from %s to %s", match.pk, old_status, status)
    return match


def _locked(match_pk: int) -> Match:
    return (
        Match.objects.select_for_update(of=("self",))
        .select_related(
            "candidate__organisation",
            "leerbaan__leerbedrijf__organisation",
            "leerbaan__kwalificatie",
        )
        .get(pk=match_pk)
    )


def match_status_change(*, match: Match, status: str, by) -> Match:
    """Change ``match`` to ``status`` on behalf of user ``by``; returns the updated match.

    Allowed changes: ``MATCH_TRANSITIONS``. Who: the werkgever of the leerbaan's leerbedrijf
    sets uitgenodigd, geplaatst and afgewezen; a consultant of the candidate's organisation
    voorgedragen and ingetrokken. A voordracht re-checks the matching rules and the consent and
    stores the fresh score and reasons; a placement needs a place left and marks the leerbaan
    vervuld when it took the last one.

    Raises ``PermissionDenied`` when ``by`` is neither party or may not set ``status``, and
    ``ValidationError`` for an unknown status or a change the table does not allow (naming both
    states), a voordracht the rules or missing consent refuse, or a placement without places.
    The match row is locked (``select_for_update``) in one transaction, in which the e-mails to
    the consultant's organisation (always) and the werkgever (from the voordracht on) are
    written to the outbox.
    """
    if status not in MatchStatus.values:
        raise ValidationError(_("Onbekende status: %(status)s") % {"status": status})
    with transaction.atomic():
        return _transition(match=_locked(match.pk), status=status, by=by)


def match_propose(*, candidate: Candidate, leerbaan: Leerbaan, by) -> Match:
    """The voordracht: consultant ``by`` proposes ``candidate`` for ``leerbaan``.

    Creates the match (or takes the existing *voorgesteld* one) and sets it to *voorgedragen*
    with the current score and reasons. Raises ``PermissionDenied`` unless ``by`` is a consultant
    of the candidate's organisation, ``ValidationError`` when the candidate gave no consent, the
    pair breaks a hard matching rule (``candidates.selectors``), or the match is already past
    *voorgesteld*. Tells the consultant's organisation and the werkgever by e-mail.
    """
    if not _is_consultant_of(by, candidate):
        raise PermissionDenied
    with transaction.atomic():
        match, _created = Match.objects.get_or_create(
            candidate=candidate, leerbaan=leerbaan, defaults={"score": 0.0, "reasons": []}
        )
        return _transition(match=_locked(match.pk), status=MatchStatus.VOORGEDRAGEN, by=by)
