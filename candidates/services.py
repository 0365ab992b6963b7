"""Writes on candidates and voordrachten: the aanmelding, and one service per transition of the
candidate's and the voordracht's workflows (``candidates.models``; ``docs/architecture.md``).

Every transition service owns its transaction, locks the rows it changes (always in the order
candidate → leerbaan → voordracht, so two services never wait on each other crosswise), lets
``praktijkleren.workflow.transition_apply`` refuse what the state, a rule or the user's role
does not allow (``TransitionRefused``, a ``ValidationError`` with a Dutch message), writes the
transition log and tells the parties (``candidates.notify``). The follow-ups one transition
causes happen in the same transaction:

- a voordracht makes an actief candidate voorgedragen; when the last open voordracht of a
  voorgedragen candidate ends, the candidate is actief again;
- accepting a voordracht turns the candidate's other open voordrachten into elders geplaatst,
  makes the candidate geplaatst and takes a place of the leerbaan; when that was the last place
  the leerbaan is vervuld and its other open voordrachten expire. The enrolment request is made
  by the caller, ``trajecten.services.voordracht_accept``, which the werkgever's view calls;
- a candidate's afmelding withdraws its open voordrachten;
- a leerbaan that closes (``leerbaan_close_with_voordrachten``) or expires
  (``flow_close_due``) ends its open voordrachten.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from candidates import bsn as bsn_crypto
from candidates.constants import (
    INTERVIEW_MESSAGE_MAX_CHARS,
    INTERVIEW_PLACE_MAX_CHARS,
    MOTIVATION_MAX_CHARS,
    OPEN_VOORDRACHT_STATUSES,
    REQUEST_ANSWER_MAX_CHARS,
    REQUEST_MESSAGE_MAX_CHARS,
    VOORDRACHT_EXPIRY_DAYS,
    CandidateStatus,
    VoordrachtStatus,
)
from candidates.models import Candidate, Voordracht, VoordrachtRequest, is_consultant_of
from candidates.notify import (
    leerbaan_closed_notify,
    voordracht_notify,
    voordracht_request_declined_notify,
    voordracht_requested_notify,
)
from candidates.selectors import (
    candidates_with_bsn,
    match_evaluate,
    praktijkopleider_capacity_refusal,
    voordrachten_blocking,
)
from leerbedrijven import services as leerbaan_services
from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.models import Leerbaan, Praktijkopleider
from leerbedrijven.selectors import leerbanen_due_to_close
from opleidingen.models import Werkproces
from praktijkleren.accounts.constants import CONSULTANT_KINDS, OrganisationKind
from praktijkleren.accounts.models import Organisation
from praktijkleren.accounts.selectors import organisation_of
from praktijkleren.workflow import (
    TransitionRefused,
    atomic_service,
    log_write,
    transition_apply,
    transition_check,
)

logger = logging.getLogger(__name__)


def candidate_lock(*, candidate: Candidate) -> Candidate:
    """``candidate`` re-read with its row locked for the rest of the caller's transaction."""
    return (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("organisation", "postcode")
        .get(pk=candidate.pk)
    )


def voordracht_lock(*, voordracht: Voordracht) -> Voordracht:
    """``voordracht`` re-read with its candidate, leerbaan and own row locked, in that order,
    for the rest of the caller's transaction; the locked candidate and leerbaan are attached."""
    candidate_id, leerbaan_id = Voordracht.objects.values_list("candidate_id", "leerbaan_id").get(
        pk=voordracht.pk
    )
    candidate = candidate_lock(candidate=Candidate(pk=candidate_id))
    leerbaan = leerbaan_services.leerbaan_lock(leerbaan=Leerbaan(pk=leerbaan_id))
    locked = (
        Voordracht.objects.select_for_update(of=("self",))
        .select_related("leerbaan__kwalificatie", "leerbaan__leerbedrijf__organisation")
        .get(pk=voordracht.pk)
    )
    locked.candidate, locked.leerbaan = candidate, leerbaan
    return locked


# --- the candidate ---------------------------------------------------------------------------


@sensitive_variables("data", "fields", "candidate")
def candidate_register(
    *, organisation: Organisation, consultant: Any, data: dict[str, Any]
) -> Candidate:
    """The aanmelding (primer, 'the main flow', step 1): create a candidate of ``organisation``
    (a gemeente or UWV) followed by ``consultant`` (a user of it), in state aangemeld.

    ``data`` holds the ``Candidate`` fields (``postcode`` a ``Postcode``; ``wished_kwalificaties``
    and ``wished_dossiers`` iterables) and ``consent`` (bool): the toestemming, recorded as
    ``consent_given_at`` = now; with it the candidate is activated at once (actief). Raises
    ``PermissionDenied`` when ``organisation`` is not a gemeente or UWV or ``consultant`` is not
    one of its users, ``ValidationError`` when the candidate breaks a model rule, wishes
    nothing, or has a BSN ``organisation`` registered before (found through the blind index;
    the database refuses it too, ``candidate_bsn_once_per_organisation``).
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
    if candidate.bsn and candidates_with_bsn(bsn=candidate.bsn, organisation=organisation).exists():
        raise ValidationError({"bsn": _("Uw organisatie heeft al een kandidaat met dit BSN.")})
    candidate.full_clean()
    with transaction.atomic():
        candidate.save()
        candidate.wished_kwalificaties.set(wished_kwalificaties)
        candidate.wished_dossiers.set(wished_dossiers)
        log_write(candidate, transition="register", from_state="", by=consultant)
        if consent:
            transition_apply(candidate, "activate", by=consultant)
    logger.info("Candidate %s registered by organisation %s", candidate.pk, organisation.pk)
    return candidate


@atomic_service
def candidate_activate(*, candidate: Candidate, by: Any, consent: bool = False) -> Candidate:
    """aangemeld → actief, by a consultant of the candidate's organisation. ``consent`` True
    records the toestemming now (if not recorded yet); without a recorded toestemming the
    transition is refused (``TransitionRefused``, code ``"rule"``)."""
    candidate = candidate_lock(candidate=candidate)
    transition_check(candidate, "activate", by=by, reason=None)
    if consent and candidate.consent_given_at is None:
        candidate.consent_given_at = timezone.now()
    if candidate.consent_given_at is None:
        raise TransitionRefused(
            _("Activeren kan pas als de kandidaat toestemming geeft om het profiel te delen."),
            code="rule",
        )
    transition_apply(candidate, "activate", by=by)
    return candidate


@atomic_service
def candidate_deregister(
    *, candidate: Candidate, by: Any, reason_code: str, reason: str = ""
) -> Candidate:
    """aangemeld, actief or voorgedragen → afgemeld, by a consultant, with ``reason_code``
    (``CandidateEndReason``) and optional ``reason`` text. Withdraws the candidate's open
    voordrachten first (each logged and told). Raises ``TransitionRefused``."""
    candidate = candidate_lock(candidate=candidate)
    transition_check(candidate, "deregister", by=by, reason_code=reason_code, reason=reason)
    for voordracht in candidate.voordrachten.filter(status__in=OPEN_VOORDRACHT_STATUSES):
        _voordracht_end(
            voordracht, "withdraw", by=by, reason=_("De kandidaat is afgemeld."), follow_up=True
        )
    candidate = candidate_lock(candidate=candidate)
    transition_apply(candidate, "deregister", by=by, reason_code=reason_code, reason=reason)
    return candidate


@atomic_service
def candidate_follow(*, candidate: Candidate, name: str, by: Any, reason_code: str = "") -> None:
    """Run the candidate's follow-up transition ``name`` (``start_training``, ``complete``,
    ``drop_out``) for user ``by``, inside the caller's transaction: ``trajecten`` calls it when
    an enrolment starts, completes or stops. ``drop_out`` needs ``reason_code``
    (``CandidateEndReason``). Raises ``TransitionRefused`` when the candidate's state does not
    allow it."""
    candidate = candidate_lock(candidate=candidate)
    transition_apply(candidate, name, by=by, follow_up=True, reason_code=reason_code)


@atomic_service
def candidate_experience_save(
    *, candidate: Candidate, by: Any, werkprocessen: Iterable[Werkproces]
) -> Candidate:
    """Record which werkprocessen ``candidate`` already masters (``experienced_werkprocessen``):
    ``werkprocessen`` is the whole new set (an empty one clears it). The route proposal
    (``trajecten.routes``) counts them, and they may ground vrijstellingen on a shortened
    diploma route (domain primer, 'The three routes').

    Only a consultant of the candidate's organisation (``is_consultant_of``) may, in any state
    of the candidate; anyone else is refused (``TransitionRefused``, code ``"role"``). Locks the
    candidate; django-auditlog records the change with its author, as every edit of a
    candidate's data. Returns the candidate."""
    candidate = candidate_lock(candidate=candidate)
    if not is_consultant_of(candidate, by):
        raise TransitionRefused(
            _(
                "Alleen een consulent van de organisatie die de kandidaat aanmeldde mag de "
                "ervaring vastleggen."
            ),
            code="role",
        )
    chosen = {w.pk for w in werkprocessen}
    before = set(candidate.experienced_werkprocessen.values_list("pk", flat=True))
    if chosen != before:
        candidate.experienced_werkprocessen.set(chosen)
        logger.info(
            "Candidate %s: %d werkprocessen mastered (were %d)",
            candidate.pk,
            len(chosen),
            len(before),
        )
    return candidate


def _candidate_after_voordracht_end(voordracht: Voordracht, *, by: Any) -> None:
    """A voorgedragen candidate without open voordrachten searches again (actief); the log
    row says which voordracht ended how."""
    candidate = candidate_lock(candidate=voordracht.candidate)
    still_open = candidate.voordrachten.filter(status__in=OPEN_VOORDRACHT_STATUSES).exists()
    if candidate.status == CandidateStatus.VOORGEDRAGEN and not still_open:
        reason = _("De voordracht voor %(leerbaan)s is %(status)s.") % {
            "leerbaan": voordracht.leerbaan.titel,
            "status": voordracht.get_status_display().lower(),
        }
        transition_apply(candidate, "return_to_search", by=by, follow_up=True, reason=reason)


# --- the voordracht --------------------------------------------------------------------------


@atomic_service
def voordracht_make(
    *, candidate: Candidate, leerbaan: Leerbaan, by: Any, motivation: str = ""
) -> Voordracht:
    """The voordracht: consultant ``by`` proposes ``candidate`` for ``leerbaan``, with an
    optional ``motivation`` (the consultant's words to the werkgever, at most
    ``MOTIVATION_MAX_CHARS`` characters; stored on the voordracht and shown to the werkgever).

    Refuses (``TransitionRefused``) unless ``by`` is a consultant of the candidate's
    organisation, the candidate searches (actief or voorgedragen) and gave consent, the leerbaan
    is open, and the pair has no open, accepted or declined voordracht; refuses
    (``ValidationError``) a pair that breaks a hard matching rule (``candidates.selectors``) and a
    motivation that is too long. Creates the voordracht with the current score and reasons,
    makes an actief candidate voorgedragen, answers the werkgever's open request for the pair
    (``VoordrachtRequest``) if there is one, logs both and tells the candidate's organisation
    and the werkgever.
    """
    motivation = motivation.strip()
    if len(motivation) > MOTIVATION_MAX_CHARS:
        raise ValidationError(
            _("De motivatie is te lang: ten hoogste %(max)d tekens.")
            % {"max": MOTIVATION_MAX_CHARS}
        )
    candidate = candidate_lock(candidate=candidate)
    leerbaan = leerbaan_services.leerbaan_lock(leerbaan=leerbaan)
    _voordracht_make_check(candidate, leerbaan, by)
    evaluation = match_evaluate(candidate=candidate, leerbaan=leerbaan)
    voordracht = Voordracht.objects.create(
        candidate=candidate,
        leerbaan=leerbaan,
        score=evaluation.score,
        reasons=evaluation.reasons,
        motivation=motivation,
    )
    log = log_write(voordracht, transition="make", from_state="", by=by)
    if candidate.status == CandidateStatus.ACTIEF:
        transition_apply(candidate, "propose", by=by, follow_up=True)
    VoordrachtRequest.objects.filter(
        candidate=candidate, leerbaan=leerbaan, answered_at__isnull=True
    ).update(answered_at=timezone.now())
    voordracht_notify(voordracht=voordracht, log=log)
    logger.info("Voordracht %s made by organisation %s", voordracht.pk, candidate.organisation_id)
    return voordracht


def _voordracht_make_check(candidate: Candidate, leerbaan: Leerbaan, by: Any) -> None:
    if not is_consultant_of(candidate, by):
        raise TransitionRefused(
            _("Alleen een consulent van de organisatie die de kandidaat aanmeldde mag voordragen."),
            code="role",
        )
    if candidate.consent_given_at is None:
        raise TransitionRefused(
            _("De kandidaat heeft geen toestemming gegeven om het profiel te delen."), code="rule"
        )
    if not candidate.may_be_proposed():
        raise TransitionRefused(
            _("Voordragen kan niet: de kandidaat heeft de status ‘%(status)s’.")
            % {"status": candidate.get_status_display()},
            code="state",
        )
    if not leerbaan.is_open():
        raise TransitionRefused(
            _("Voordragen kan niet: %(leerbaan)s is gesloten.") % {"leerbaan": leerbaan.titel},
            code="rule",
        )
    earlier = voordrachten_blocking(candidate=candidate, leerbaan=leerbaan).first()
    if earlier is not None:
        raise TransitionRefused(
            _("%(naam)s is al voorgedragen voor deze leerbaan (status ‘%(status)s’).")
            % {"naam": candidate, "status": earlier.get_status_display()},
            code="state",
        )


def _voordracht_transition(
    voordracht: Voordracht, name: str, *, by: Any, **options: Any
) -> Voordracht:
    """Lock, run transition ``name`` with its log, and tell the parties."""
    with transaction.atomic():
        voordracht = voordracht_lock(voordracht=voordracht)
        log = transition_apply(voordracht, name, by=by, **options)
        voordracht_notify(voordracht=voordracht, log=log)
    return voordracht


@atomic_service
def voordracht_invite(
    *,
    voordracht: Voordracht,
    by: Any,
    interview_at: dt.datetime,
    interview_place: str,
    interview_message: str = "",
) -> Voordracht:
    """voorgedragen → uitgenodigd, by the werkgever of the leerbaan, while the leerbaan is open
    (``Leerbaan.is_open``): an invitation to an interview at ``interview_at`` (an aware
    datetime, not in the past; pages ask it in Europe/Amsterdam) at ``interview_place`` (at most
    ``INTERVIEW_PLACE_MAX_CHARS`` characters, required), with an optional ``interview_message``
    to the candidate's side (at most ``INTERVIEW_MESSAGE_MAX_CHARS``). All three are stored on
    the voordracht and told to the consultant (event ``voordracht.invited``).

    Raises ``TransitionRefused`` for the state, a rule or the role (checked first, so a second
    submission of the same invitation is refused for the state) and ``ValidationError`` for a
    missing, naive or past date or a missing place.
    """
    with transaction.atomic():
        voordracht = voordracht_lock(voordracht=voordracht)
        transition_check(voordracht, "invite", by=by, reason="")
        place, message = interview_place.strip(), interview_message.strip()
        _interview_check(interview_at, place, message)
        _interview_before_start(interview_at, voordracht.leerbaan)
        voordracht.interview_at = interview_at
        voordracht.interview_place = place
        voordracht.interview_message = message
        log = transition_apply(voordracht, "invite", by=by)
        voordracht_notify(voordracht=voordracht, log=log)
    return voordracht


def _interview_before_start(interview_at: dt.datetime, leerbaan: Leerbaan) -> None:
    """The interview is before the leerbaan's start date (Europe/Amsterdam): after it, the
    candidate could not start in time. Raises ``ValidationError``."""
    if timezone.localdate(interview_at) >= leerbaan.start_date:
        raise ValidationError(
            _("Het gesprek moet vóór de startdatum van de leerbaan liggen (%(start)s).")
            % {"start": date_format(leerbaan.start_date, "j F Y")}
        )


def _interview_check(interview_at: dt.datetime | None, place: str, message: str) -> None:
    errors = []
    if interview_at is None or timezone.is_naive(interview_at):
        errors.append(_("Geef de datum en de tijd van het gesprek."))
    elif interview_at < timezone.now():
        errors.append(_("Het gesprek kan niet in het verleden liggen."))
    if not place:
        errors.append(_("Geef de plaats van het gesprek."))
    elif len(place) > INTERVIEW_PLACE_MAX_CHARS:
        errors.append(
            _("De plaats is te lang: ten hoogste %(max)d tekens.")
            % {"max": INTERVIEW_PLACE_MAX_CHARS}
        )
    if len(message) > INTERVIEW_MESSAGE_MAX_CHARS:
        errors.append(
            _("Het bericht is te lang: ten hoogste %(max)d tekens.")
            % {"max": INTERVIEW_MESSAGE_MAX_CHARS}
        )
    if errors:
        raise ValidationError(errors)


@atomic_service
def voordracht_decline(
    *, voordracht: Voordracht, by: Any, reason_code: str, reason: str = ""
) -> Voordracht:
    """voorgedragen or uitgenodigd → afgewezen, by the werkgever, with ``reason_code``
    (``DeclineReason``, required: text alone is refused) and an optional ``reason``: the
    werkgever's message to the consultant, logged and kept as ``decline_message``, told with
    the event ``voordracht.declined``. A voorgedragen candidate without other open voordrachten
    is actief again. Raises ``TransitionRefused``."""
    if not reason_code:
        raise TransitionRefused(_("Kies een reden van afwijzing."), code="reason")
    with transaction.atomic():
        voordracht = voordracht_lock(voordracht=voordracht)
        voordracht.decline_message = reason.strip()
        log = transition_apply(voordracht, "decline", by=by, reason_code=reason_code, reason=reason)
        voordracht_notify(voordracht=voordracht, log=log)
    _candidate_after_voordracht_end(voordracht, by=by)
    return voordracht


@atomic_service
def voordracht_withdraw(*, voordracht: Voordracht, by: Any, reason: str = "") -> Voordracht:
    """voorgedragen or uitgenodigd → ingetrokken, by a consultant of the candidate's
    organisation, with an optional ``reason``. Raises ``TransitionRefused``."""
    return _voordracht_end(voordracht, "withdraw", by=by, reason=reason, follow_up=False)


@atomic_service
def voordracht_expire(*, voordracht: Voordracht, reason: str) -> Voordracht:
    """voorgedragen or uitgenodigd → verlopen by the system (the scheduled job), with
    ``reason``. Raises ``TransitionRefused`` for a voordracht that is no longer open."""
    return _voordracht_end(voordracht, "expire", by=None, reason=reason, follow_up=False)


def _voordracht_end(
    voordracht: Voordracht, name: str, *, by: Any, reason: str, follow_up: bool
) -> Voordracht:
    """End an open voordracht with transition ``name`` (withdraw, expire, place_elsewhere) and
    let its candidate search again when that was its last open voordracht."""
    voordracht = _voordracht_transition(voordracht, name, by=by, reason=reason, follow_up=follow_up)
    if name != "place_elsewhere":
        _candidate_after_voordracht_end(voordracht, by=by)
    return voordracht


@atomic_service
def voordracht_accept(*, voordracht: Voordracht, by: Any) -> Voordracht:
    """uitgenodigd → aangenomen, by the werkgever: the placement. Inside one transaction:

    - refuses (``TransitionRefused``) when the leerbaan has no place left or was closed, or the
      candidate is no longer voorgedragen (accepted elsewhere, or afgemeld);
    - refuses (``TransitionRefused``, code ``"rule"``) when the leerbaan's praktijkopleider is
      no longer active or already supervises ``capacity`` other candidates
      (``selectors.praktijkopleider_capacity_refusal``): checked last, with the
      praktijkopleider's row locked, so two placements at once never exceed it. A leerbaan
      without praktijkopleider (made before they existed) is not limited;
    - the candidate's other open voordrachten become elders geplaatst;
    - the candidate becomes geplaatst; the leerbaan's place is taken, and when that was the
      last one the leerbaan is vervuld and its other open voordrachten expire.

    Only the voordracht's side: ``trajecten.services.voordracht_accept`` wraps it and requests
    the enrolment in the same transaction; views call that one. Returns the voordracht.
    """
    # A savepoint: the capacity check comes last and takes everything back, also inside a
    # caller's transaction.
    with transaction.atomic():
        voordracht = _voordracht_transition(voordracht, "accept", by=by)
        candidate, leerbaan = voordracht.candidate, voordracht.leerbaan
        elsewhere = candidate.voordrachten.filter(status__in=OPEN_VOORDRACHT_STATUSES)
        for other in elsewhere.exclude(pk=voordracht.pk):
            _voordracht_end(
                other,
                "place_elsewhere",
                by=by,
                reason=_("Geplaatst bij %(leerbaan)s.") % {"leerbaan": leerbaan.titel},
                follow_up=True,
            )
        candidate = candidate_lock(candidate=candidate)
        transition_apply(candidate, "place", by=by, follow_up=True)
        leerbaan = leerbaan_services.leerbaan_place_take(leerbaan=leerbaan, by=by)
        if leerbaan.status == LeerbaanStatus.VERVULD:
            _voordrachten_end_for_leerbaan(
                leerbaan, by=by, reason=_("De leerbaan is vervuld."), include_invited=True
            )
        voordracht.candidate, voordracht.leerbaan = candidate, leerbaan
        _praktijkopleider_capacity_check(voordracht)
    logger.info("Voordracht %s accepted", voordracht.pk)
    return voordracht


def _praktijkopleider_capacity_check(voordracht: Voordracht) -> None:
    """The last step of an acceptance: lock the leerbaan's praktijkopleider and refuse
    (``TransitionRefused``, which rolls the whole acceptance back) when they are no longer
    active or already supervised ``capacity`` candidates besides this one. Their row is the
    last one the acceptance locks, so a second acceptance for them waits here until the first
    one committed, then counts it."""
    leerbaan = voordracht.leerbaan
    if leerbaan.praktijkopleider_id is None:
        return
    leerbaan.praktijkopleider = leerbaan_services.praktijkopleider_lock(
        praktijkopleider=Praktijkopleider(pk=leerbaan.praktijkopleider_id)
    )
    refusal = praktijkopleider_capacity_refusal(leerbaan=leerbaan, placing=voordracht)
    if refusal:
        raise TransitionRefused(refusal, code="rule")


def _voordrachten_end_for_leerbaan(
    leerbaan: Leerbaan, *, by: Any, reason: str, include_invited: bool
) -> int:
    """Expire the open voordrachten of ``leerbaan`` that can no longer go anywhere (the
    voorgedragen ones, and with ``include_invited`` the uitgenodigd ones too) after its latest
    transition closed it, and tell its werkgever and their candidates' side that it closed while
    they were open. Returns how many."""
    statuses = OPEN_VOORDRACHT_STATUSES if include_invited else (VoordrachtStatus.VOORGEDRAGEN,)
    ended = list(
        Voordracht.objects.filter(leerbaan=leerbaan, status__in=statuses).select_related(
            "candidate__organisation", "candidate__consultant"
        )
    )
    for voordracht in ended:
        _voordracht_end(voordracht, "expire", by=by, reason=reason, follow_up=by is not None)
    if ended:
        closed_by = leerbaan.transitions.order_by("-pk").first()
        assert closed_by is not None
        leerbaan_closed_notify(leerbaan=leerbaan, log=closed_by, open_voordrachten=ended)
    return len(ended)


# --- the werkgever's request for a voordracht (the reverse match) --------------------------


def _request_lock(request: VoordrachtRequest) -> VoordrachtRequest:
    """``request`` re-read with its candidate, leerbaan and own row locked, in that order."""
    candidate_id, leerbaan_id = VoordrachtRequest.objects.values_list(
        "candidate_id", "leerbaan_id"
    ).get(pk=request.pk)
    candidate = candidate_lock(candidate=Candidate(pk=candidate_id))
    leerbaan = leerbaan_services.leerbaan_lock(leerbaan=Leerbaan(pk=leerbaan_id))
    locked = (
        VoordrachtRequest.objects.select_for_update(of=("self",))
        .select_related("requested_by")
        .get(pk=request.pk)
    )
    locked.candidate, locked.leerbaan = candidate, leerbaan
    return locked


@atomic_service
def voordracht_request(
    *, candidate: Candidate, leerbaan: Leerbaan, by: Any, message: str = ""
) -> VoordrachtRequest:
    """The werkgever ``by`` asks the consultant who registered ``candidate`` to propose it for
    ``leerbaan`` (the reverse match), with an optional ``message`` (at most
    ``REQUEST_MESSAGE_MAX_CHARS`` characters). The werkgever knows the candidate only as
    ``candidate_for_employer`` shows a fitting candidate: anonymously.

    Refuses (``TransitionRefused``) unless ``by`` acts for the werkgever of the leerbaan, the
    leerbaan is open, the candidate searches with consent, the pair has no open, accepted or
    declined voordracht and no open request; refuses (``ValidationError``) a pair that breaks
    a hard matching rule and a message that is too long. Creates the ``VoordrachtRequest`` and
    tells the candidate's consultant (event ``voordracht.requested``)."""
    message = message.strip()
    if len(message) > REQUEST_MESSAGE_MAX_CHARS:
        raise ValidationError(
            _("Het bericht is te lang: ten hoogste %(max)d tekens.")
            % {"max": REQUEST_MESSAGE_MAX_CHARS}
        )
    candidate = candidate_lock(candidate=candidate)
    leerbaan = leerbaan_services.leerbaan_lock(leerbaan=leerbaan)
    organisation = organisation_of(by)
    if (
        organisation is None
        or organisation.kind != OrganisationKind.WERKGEVER
        or organisation.pk != leerbaan.leerbedrijf.organisation_id
    ):
        raise TransitionRefused(
            _("Alleen de werkgever van de leerbaan mag om een voordracht vragen."), code="role"
        )
    if not leerbaan.is_open():
        raise TransitionRefused(
            _("De leerbaan is gesloten: om een voordracht vragen kan niet meer."), code="rule"
        )
    if not candidate.may_be_proposed():
        raise TransitionRefused(
            _("Deze kandidaat zoekt geen leerbaan meer of deelt het profiel niet."), code="state"
        )
    if voordrachten_blocking(candidate=candidate, leerbaan=leerbaan).exists():
        raise TransitionRefused(
            _("Deze kandidaat is al voorgedragen voor deze leerbaan."), code="state"
        )
    if VoordrachtRequest.objects.filter(
        candidate=candidate, leerbaan=leerbaan, answered_at__isnull=True
    ).exists():
        raise TransitionRefused(
            _("U hebt de consulent al gevraagd deze kandidaat voor te dragen."), code="state"
        )
    match_evaluate(candidate=candidate, leerbaan=leerbaan)  # a pair that does not fit: refused
    request = VoordrachtRequest.objects.create(
        candidate=candidate, leerbaan=leerbaan, requested_by=by, message=message
    )
    voordracht_requested_notify(request=request)
    logger.info("Voordracht request %s made by organisation %s", request.pk, organisation.pk)
    return request


@atomic_service
def voordracht_request_decline(
    *, request: VoordrachtRequest, by: Any, answer: str
) -> VoordrachtRequest:
    """The consultant ``by`` declines the werkgever's open ``request`` with a short ``answer``
    (required, at most ``REQUEST_ANSWER_MAX_CHARS`` characters; the werkgever reads it).
    Refuses (``TransitionRefused``) anyone but a consultant of the candidate's organisation and
    a request that was answered already; ``ValidationError`` for a missing or too long answer.
    Tells the werkgever (event ``voordracht.request_declined``)."""
    answer = answer.strip()
    if not answer:
        raise TransitionRefused(_("Geef de werkgever een kort antwoord."), code="reason")
    if len(answer) > REQUEST_ANSWER_MAX_CHARS:
        raise ValidationError(
            _("Het antwoord is te lang: ten hoogste %(max)d tekens.")
            % {"max": REQUEST_ANSWER_MAX_CHARS}
        )
    request = _request_lock(request)
    if not is_consultant_of(request.candidate, by):
        raise TransitionRefused(
            _("Alleen een consulent van de organisatie die de kandidaat aanmeldde mag antwoorden."),
            code="role",
        )
    if request.answered_at is not None:
        raise TransitionRefused(_("Dit verzoek is al beantwoord."), code="state")
    request.answered_at = timezone.now()
    request.answer = answer
    request.save(update_fields=["answered_at", "answer"])
    voordracht_request_declined_notify(request=request, by=by)
    logger.info("Voordracht request %s declined", request.pk)
    return request


# --- the leerbaan, composed with its voordrachten --------------------------------------------


@atomic_service
def leerbaan_close_with_voordrachten(*, leerbaan: Leerbaan, by: Any, reason: str = "") -> Leerbaan:
    """The werkgever closes ``leerbaan`` (``leerbedrijven.services.leerbaan_close``) and its
    open voordrachten expire, in one transaction: closed means closed. Raises
    ``TransitionRefused``."""
    leerbaan = leerbaan_services.leerbaan_close(leerbaan=leerbaan, by=by, reason=reason)
    _voordrachten_end_for_leerbaan(
        leerbaan, by=by, reason=_("De leerbaan is gesloten."), include_invited=True
    )
    return leerbaan


def flow_close_due(*, at: dt.datetime | None = None) -> dict[str, int]:
    """The scheduled job's work at ``at`` (default now), each leerbaan and voordracht in its own
    transaction:

    - a published leerbaan past the end of its closing date (Europe/Amsterdam) becomes verlopen
      and its voorgedragen voordrachten expire (invited candidates may still be accepted);
    - a leerbaan with every place taken becomes vervuld and its open voordrachten expire;
    - a voordracht unanswered for ``VOORDRACHT_EXPIRY_DAYS`` in its state expires.

    Returns counts: ``{"verlopen": n, "vervuld": n, "voordrachten verlopen": n}``.
    """
    at = at or timezone.now()
    counts = {"verlopen": 0, "vervuld": 0, "voordrachten verlopen": 0}
    for leerbaan in leerbanen_due_to_close(at=at):
        counts["voordrachten verlopen"] += _leerbaan_close_due(leerbaan, at=at, counts=counts)
    for voordracht in _voordrachten_unanswered(at):
        counts["voordrachten verlopen"] += _voordracht_expire_unanswered(voordracht)
    return counts


@atomic_service
def _voordracht_expire_unanswered(voordracht: Voordracht) -> int:
    voordracht = voordracht_lock(voordracht=voordracht)
    if not voordracht.is_open():
        return 0
    days = VOORDRACHT_EXPIRY_DAYS[voordracht.status]
    reason = _("Niet beantwoord binnen %(dagen)d dagen.") % {"dagen": days}
    _voordracht_end(voordracht, "expire", by=None, reason=reason, follow_up=False)
    return 1


@atomic_service
def _leerbaan_close_due(leerbaan: Leerbaan, *, at: dt.datetime, counts: dict[str, int]) -> int:
    leerbaan = leerbaan_services.leerbaan_lock(leerbaan=leerbaan)
    if leerbaan.places_left <= 0 and leerbaan.status != LeerbaanStatus.VERVULD:
        transition_apply(leerbaan, "fill", by=None)
        counts["vervuld"] += 1
        return _voordrachten_end_for_leerbaan(
            leerbaan, by=None, reason=_("De leerbaan is vervuld."), include_invited=True
        )
    if leerbaan.status == LeerbaanStatus.GEPUBLICEERD and leerbaan.is_past_closing(at=at):
        transition_apply(leerbaan, "expire", by=None)
        counts["verlopen"] += 1
        return _voordrachten_end_for_leerbaan(
            leerbaan,
            by=None,
            reason=_("De sluitingsdatum van de leerbaan is voorbij."),
            include_invited=False,
        )
    return 0


def _voordrachten_unanswered(at: dt.datetime) -> list[Voordracht]:
    """Open voordrachten whose last change is older than their state's expiry term."""
    found: list[Voordracht] = []
    for status, days in VOORDRACHT_EXPIRY_DAYS.items():
        cutoff = at - dt.timedelta(days=days)
        found += Voordracht.objects.filter(status=status, updated_at__lt=cutoff).order_by("pk")
    return found


@dataclasses.dataclass(frozen=True)
class BsnRotation:
    """What ``bsn_keys_rotate`` did: ``rows`` with a BSN seen, of which ``reencrypted`` got a
    token under the newest key and ``reindexed`` a blind index under the current index key;
    ``unreadable``: ids of candidates whose token no configured key opens (left as they are)."""

    rows: int = 0
    reencrypted: int = 0
    reindexed: int = 0
    unreadable: tuple[int, ...] = ()


def bsn_keys_rotate(*, batch_size: int = 500) -> BsnRotation:
    """Bring every stored BSN under the newest encryption key (``MultiFernet.rotate``) and the
    current index key (its blind index computed again), ``batch_size`` candidates per
    transaction, their rows locked (``select_for_update``) while they change. Rows already under
    both keys are left alone, so a second run changes nothing. Run it after putting a new key
    first in ``BSN_ENCRYPTION_KEYS`` or changing ``BSN_INDEX_KEY`` (docs/bsn.md); only then drop
    the old keys. Never logs or returns a BSN."""
    rows = reencrypted = reindexed = 0
    unreadable: list[int] = []
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(
                Candidate.objects.select_for_update()
                .exclude(bsn_encrypted="")
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .only("pk", "bsn_encrypted", "bsn_index")[:batch_size]
            )
            if not batch:
                break
            changed = []
            for candidate in batch:
                try:
                    token, plain = bsn_crypto.under_newest_key(candidate.bsn_encrypted)
                except bsn_crypto.InvalidToken:
                    unreadable.append(candidate.pk)
                    continue
                index = bsn_crypto.index(plain)
                if token != candidate.bsn_encrypted or index != candidate.bsn_index:
                    reencrypted += token != candidate.bsn_encrypted
                    reindexed += index != candidate.bsn_index
                    candidate.bsn_encrypted, candidate.bsn_index = token, index
                    changed.append(candidate)
            Candidate.objects.bulk_update(changed, ["bsn_encrypted", "bsn_index"])
            rows += len(batch)
            last_pk = batch[-1].pk
    result = BsnRotation(rows, reencrypted, reindexed, tuple(unreadable))
    logger.info(
        "BSN key rotation: %s rows, %s re-encrypted, %s re-indexed, %s unreadable",
        rows,
        reencrypted,
        reindexed,
        len(unreadable),
    )
    return result


__all__ = [
    "BsnRotation",
    "TransitionRefused",
    "bsn_keys_rotate",
    "candidate_activate",
    "candidate_deregister",
    "candidate_experience_save",
    "candidate_follow",
    "candidate_register",
    "flow_close_due",
    "leerbaan_close_with_voordrachten",
    "voordracht_accept",
    "voordracht_decline",
    "voordracht_expire",
    "voordracht_invite",
    "voordracht_lock",
    "voordracht_make",
    "voordracht_request",
    "voordracht_request_decline",
    "voordracht_withdraw",
]
