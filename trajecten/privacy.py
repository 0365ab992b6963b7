"""A candidate's personal data over its lifetime: anonymising it when its retention term
expires or on request (erasure), and the inzage export of everything held about a candidate.

Issue 9, 'Personal data' (retention, inzage and erasure); the terms and their reasons are in
``docs/privacy.md``. It lives in ``trajecten``, the highest domain app, because a candidate's
data spreads over candidates (profile, voordrachten, requests), trajecten (enrolments, their
agreements, progress, check-ins and praktijkverklaring) and the notifications about them.

Anonymising keeps every row, status, reason code, date, region (the PC4 and so the gemeente) and
outcome, so the statistics and the workflow history stay whole, and the audit log (the access
log and django-auditlog's entries) is never touched: it is append-only. It clears what names
or describes the person: names, BSN, birth date and place, contact details, and every free text
about the candidate written by consultants, werkgevers and schools.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.constants import (
    ANONYMISED_NAME,
    AnonymisationReason,
    CandidateEndReason,
    CandidateStatus,
    DeclineReason,
    VoordrachtStatus,
)
from candidates.models import (
    Candidate,
    CandidateTransition,
    Voordracht,
    VoordrachtRequest,
    VoordrachtTransition,
)
from praktijkleren.accounts.models import AccessLog, Organisation
from praktijkleren.accounts.pages import page_label
from praktijkleren.notifications.events import EVENTS
from praktijkleren.notifications.selectors import events_about
from praktijkleren.notifications.services import events_redact
from praktijkleren.workflow import atomic_service
from trajecten.constants import LIVE_ENROLMENT_STATUSES, EnrolmentDeclineReason, EnrolmentStatus
from trajecten.documents import pdf_render
from trajecten.models import (
    CheckIn,
    Enrolment,
    EnrolmentTransition,
    Praktijkovereenkomst,
    Praktijkverklaring,
    Vrijstelling,
)

logger = logging.getLogger(__name__)

C = CandidateStatus
FINAL_STATUSES = (C.AFGEMELD, C.AFGEROND, C.UITGEVALLEN)
INZAGE_CSS = Path(__file__).resolve().parent / "pdf" / "inzage.css"


class ErasureRefused(ValidationError):
    """An erasure the candidate's state does not allow now; ``messages`` holds one Dutch
    sentence saying what to do first."""


# --- retention ----------------------------------------------------------------------------------


def candidates_expired(*, now: dt.datetime | None = None) -> QuerySet[Candidate]:
    """Candidates not yet anonymised whose retention term (``settings.RETENTION``, days)
    expired at ``now`` (default: now), ordered by pk.

    The term runs from the moment the candidate reached its final status: the latest
    ``CandidateTransition`` into the current status (the registration date for a candidate
    without one, from before the workflow). afgerond → ``"afgerond"``, uitgevallen →
    ``"uitgevallen"``, afgemeld → ``"afgemeld"`` when the candidate was ever actief, else
    ``"never_active"``. Candidates in any other status never expire here.
    """
    now = now or timezone.now()
    terms = settings.RETENTION

    def before(key: str) -> dt.datetime:
        return now - dt.timedelta(days=terms[key])

    ended_at = Subquery(
        CandidateTransition.objects.filter(candidate=OuterRef("pk"), to_state=OuterRef("status"))
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    was_active = Exists(
        CandidateTransition.objects.filter(candidate=OuterRef("pk"), to_state=C.ACTIEF)
    )
    return (
        Candidate.objects.filter(anonymised_at__isnull=True, status__in=FINAL_STATUSES)
        .alias(ended_at=Coalesce(ended_at, F("created_at")), was_active=was_active)
        .filter(
            Q(status=C.AFGEROND, ended_at__lt=before("afgerond"))
            | Q(status=C.UITGEVALLEN, ended_at__lt=before("uitgevallen"))
            | Q(status=C.AFGEMELD, was_active=True, ended_at__lt=before("afgemeld"))
            | Q(status=C.AFGEMELD, was_active=False, ended_at__lt=before("never_active"))
        )
        .order_by("pk")
    )


def candidates_anonymise_expired(
    *, now: dt.datetime | None = None, batch_size: int | None = None
) -> dict[str, int]:
    """Anonymise every candidate whose retention term expired (``candidates_expired``), in
    batches of ``batch_size`` (default ``settings.RETENTION_BATCH_SIZE``) candidates, each batch
    in its own transaction with its rows locked (``select_for_update(skip_locked=True)``: a
    candidate another transaction holds is left for the next run). Running it again changes
    nothing. Returns ``{"anonymised": n, "batches": b}``."""
    now = now or timezone.now()
    size = batch_size or settings.RETENTION_BATCH_SIZE
    anonymised = batches = 0
    while True:
        with transaction.atomic():
            ids = list(
                candidates_expired(now=now)
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", flat=True)[:size]
            )
            if ids:
                _anonymise(ids, reason=AnonymisationReason.RETENTION, note="", now=now)
        anonymised += len(ids)
        batches += bool(ids)
        if len(ids) < size:
            break
    logger.info("Retention: %s candidates anonymised in %s batches", anonymised, batches)
    return {"anonymised": anonymised, "batches": batches}


@atomic_service
def candidate_anonymise(
    *, candidate: Candidate, reason: str, note: str = "", now: dt.datetime | None = None
) -> bool:
    """Clear ``candidate``'s personal data now (see the module's docstring for what goes and
    what stays), recording ``reason`` (``AnonymisationReason``) and ``note`` (the consultant's
    explanation, at most 500 characters) on the candidate. Returns False, changing nothing, when
    the candidate was anonymised before. Shared by the retention job and erasure."""
    locked = Candidate.objects.select_for_update(of=("self",)).get(pk=candidate.pk)
    if locked.anonymised_at is not None:
        return False
    _anonymise([locked.pk], reason=reason, note=note[:500], now=now or timezone.now())
    return True


def _anonymise(ids: list[int], *, reason: str, note: str, now: dt.datetime) -> None:
    """Anonymise the candidates with pks ``ids`` (locked by the caller, inside its
    transaction). The candidate rows are saved one by one (the BSN goes through the model's
    ``bsn`` API, whatever its storage); everything else in one UPDATE per table. The saves skip
    django-auditlog: its entry would copy the very values being erased into the audit log."""
    with disable_auditlog():
        for candidate in Candidate.objects.filter(pk__in=ids, anonymised_at__isnull=True):
            candidate.first_name = ""
            candidate.last_name = ANONYMISED_NAME
            candidate.bsn = ""
            candidate.email = ""
            candidate.phone = ""
            candidate.birth_date = None
            candidate.birth_place = ""
            candidate.work_experience = ""
            candidate.earlier_education = ""
            candidate.anonymised_at = now
            candidate.anonymised_reason = reason
            candidate.anonymised_note = note
            candidate.save()
    CandidateTransition.objects.filter(candidate_id__in=ids).exclude(reason="").update(reason="")
    voordrachten = Voordracht.objects.filter(candidate_id__in=ids)
    voordrachten.update(motivation="", decline_message="", interview_place="", interview_message="")
    VoordrachtTransition.objects.filter(voordracht__in=voordrachten).exclude(reason="").update(
        reason=""
    )
    requests = VoordrachtRequest.objects.filter(candidate_id__in=ids)
    requests.update(message="", answer="")
    enrolments = Enrolment.objects.filter(candidate_id__in=ids)
    EnrolmentTransition.objects.filter(enrolment__in=enrolments).exclude(reason="").update(
        reason=""
    )
    Praktijkovereenkomst.objects.filter(enrolment__in=enrolments).update(
        hours_spread="", guidance="", onderdeel="", assessment=""
    )
    Vrijstelling.objects.filter(enrolment__in=enrolments).update(explanation="")
    CheckIn.objects.filter(enrolment__in=enrolments).update(note="")
    for verklaring in Praktijkverklaring.objects.filter(enrolment__in=enrolments):
        verklaring.content["candidate"] = {
            "name": ANONYMISED_NAME,
            "birth_date": "",
            "birth_place": "",
        }
        verklaring.save(update_fields=["content"])
    events_redact(
        subjects={
            "voordracht": list(voordrachten.values_list("pk", flat=True)),
            "voordrachtrequest": list(requests.values_list("pk", flat=True)),
            "enrolment": list(enrolments.values_list("pk", flat=True)),
        }
    )


# --- erasure ------------------------------------------------------------------------------------


def erasure_refusal(*, candidate: Candidate) -> str | None:
    """Why ``candidate`` cannot be erased now (a Dutch sentence), or None.

    A consultant erases a candidate whose way through the portal has ended: afgemeld, afgerond
    or uitgevallen. Before that, other parties still act on the candidate (a werkgever on an
    open voordracht, a school and leerbedrijf on a running enrolment with a signed
    praktijkovereenkomst), and they must hear that it ends: so the consultant first afmeldt
    the candidate (which withdraws open voordrachten and tells the werkgevers) or stops the
    enrolment (which tells school and werkgever), and then erases. A candidate with a live
    enrolment is refused even in a final status (it cannot be: the database allows one live
    enrolment only while training). Erasing twice is refused too.
    """
    if candidate.anonymised_at is not None:
        return _("De gegevens van deze kandidaat zijn al verwijderd.")
    if candidate.enrolments.filter(status__in=LIVE_ENROLMENT_STATUSES).exists():
        return _(
            "De kandidaat heeft een lopende inschrijving. Stop eerst de inschrijving (de school "
            "en de werkgever krijgen dan bericht) en verwijder daarna de gegevens."
        )
    if candidate.status in (C.GEPLAATST, C.IN_OPLEIDING):
        return _(
            "De kandidaat is geplaatst of in opleiding. Stop eerst de inschrijving (de school en "
            "de werkgever krijgen dan bericht) en verwijder daarna de gegevens."
        )
    if candidate.status not in FINAL_STATUSES:
        return _(
            "De kandidaat doet nog mee. Meld de kandidaat eerst af (open voordrachten worden dan "
            "ingetrokken en de werkgevers krijgen bericht) en verwijder daarna de gegevens."
        )
    return None


@atomic_service
def candidate_erase(*, candidate: Candidate, by: Any, note: str) -> Candidate:
    """Erase ``candidate``'s personal data now on the candidate's request (AVG art. 17), by a
    consultant ``by`` of the registering organisation (the view checks that), with ``note``
    (why, e.g. the date of the request; at most 500 characters): ``candidate_anonymise`` with
    reason ``REQUEST``. Raises ``ErasureRefused`` when ``erasure_refusal`` says why not. The
    caller records the erasure in the access log. Returns the candidate, re-read."""
    locked = Candidate.objects.select_for_update(of=("self",)).get(pk=candidate.pk)
    refusal = erasure_refusal(candidate=locked)
    if refusal is not None:
        raise ErasureRefused(refusal, code="state")
    candidate_anonymise(candidate=locked, reason=AnonymisationReason.REQUEST, note=note)
    logger.info("Candidate %s erased on request by user %s", locked.pk, getattr(by, "pk", None))
    return Candidate.objects.get(pk=locked.pk)


# --- inzage -------------------------------------------------------------------------------------


# The reason codes a transition may carry (ending a candidate, declining a voordracht or an
# enrolment), for their labels.
_REASONS: tuple[Any, ...] = (CandidateEndReason, DeclineReason, EnrolmentDeclineReason)


def _label(code: str | None, *choices: Any) -> str:
    """The Dutch label of ``code`` in the first of the TextChoices ``choices`` that knows it;
    ``code`` itself when none does, "" for an empty code."""
    if not code:
        return ""
    for enum in choices:
        if code in enum.values:
            return str(enum(code).label)
    return str(code)


def _transitions(rows: Any, states: Any) -> list[dict[str, Any]]:
    """Transition rows as the inzage shows them: the codes (``from``, ``to``, ``reason_code``)
    for machines and their labels (``states``: the model's status TextChoices) for people."""
    return [
        {
            "at": row.at,
            "transition": row.transition,
            "from": row.from_state,
            "from_label": _label(row.from_state, states),
            "to": row.to_state,
            "to_label": _label(row.to_state, states),
            "by": _person(row.by) if row.by_id else "",
            "organisation": row.organisation.name if row.organisation_id else "",
            "reason_code": row.reason_code,
            "reason_label": _label(row.reason_code, *_REASONS),
            "reason": row.reason,
        }
        for row in rows
    ]


def _user(user: Any) -> str:
    return user.get_username() if user is not None else ""


def _person(user: Any) -> str:
    """A staff member as the candidate reads it: the full name, else the user name."""
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def candidate_inzage(*, candidate: Candidate) -> dict[str, Any]:
    """Everything the portal holds about ``candidate`` (AVG art. 15), as a mapping that
    ``DjangoJSONEncoder`` writes as JSON (dates and times as ISO 8601): ``candidate`` (the
    profile with its personal data, the BSN included: only the registering organisation asks
    for this), ``status_history``, ``voordrachten`` (each with its outcome and history),
    ``voordracht_requests``, ``enrolments`` (each with its history, agreements, programme,
    vrijstellingen, results, check-ins and praktijkverklaring), ``notifications`` (what the
    portal told whom about them: event, recipient organisation, channel, subject, status),
    ``changes`` (django-auditlog's entries of the candidate, masked values stay masked) and
    ``access_log`` (who saw, exported or erased the candidate's data). ``generated_at`` is now.
    """
    candidate = Candidate.objects.select_related(
        "organisation", "consultant", "postcode__gemeente"
    ).get(pk=candidate.pk)
    postcode = candidate.postcode
    profile = {
        "id": candidate.pk,
        "first_name": candidate.first_name,
        "last_name": candidate.last_name,
        "bsn": candidate.bsn,
        "birth_date": candidate.birth_date,
        "birth_place": candidate.birth_place,
        "email": candidate.email,
        "phone": candidate.phone,
        "postcode": postcode.pc4,
        "woonplaats": postcode.woonplaats,
        "gemeente": str(postcode.gemeente) if postcode.gemeente_id else "",
        "route": candidate.route,
        "route_label": candidate.get_route_display(),
        "max_travel_km": candidate.max_travel_km,
        "hours_per_week": candidate.hours_per_week,
        "earliest_start_date": candidate.earliest_start_date,
        "wished_kwalificaties": [
            f"{k.crebo} {k.naam}" for k in candidate.wished_kwalificaties.order_by("crebo")
        ],
        "wished_dossiers": [d.naam for d in candidate.wished_dossiers.order_by("naam")],
        "work_experience": candidate.work_experience,
        "experienced_werkprocessen": [
            f"{w.code} {w.titel}".strip()
            for w in candidate.experienced_werkprocessen.order_by("code", "pk")
        ],
        "earlier_education": candidate.earlier_education,
        "consent_given_at": candidate.consent_given_at,
        "status": candidate.status,
        "status_label": candidate.get_status_display(),
        "end_reason": candidate.end_reason,
        "end_reason_label": _label(candidate.end_reason, CandidateEndReason),
        "organisation": candidate.organisation.name,
        "consultant": _user(candidate.consultant),
        "consultant_name": _person(candidate.consultant),
        "created_at": candidate.created_at,
        "anonymised_at": candidate.anonymised_at,
        "anonymised_reason": candidate.anonymised_reason,
        "anonymised_reason_label": _label(candidate.anonymised_reason, AnonymisationReason),
    }
    related = ("by", "organisation")
    voordrachten = list(
        candidate.voordrachten.select_related("leerbaan__leerbedrijf", "leerbaan__kwalificatie")
        .prefetch_related(_prefetch_transitions(VoordrachtTransition))
        .order_by("created_at", "pk")
    )
    requests = list(
        candidate.voordracht_requests.select_related("leerbaan", "requested_by").order_by("pk")
    )
    enrolments = list(
        candidate.enrolments.select_related(
            "instelling", "kwalificatie", "leerbaan__leerbedrijf", "certificaat"
        )
        .prefetch_related(
            _prefetch_transitions(EnrolmentTransition),
            "programme__werkproces",
            "programme__confirmed_by",
            "vrijstellingen__werkproces",
            "results",
            "checkins",
        )
        .order_by("created_at", "pk")
    )
    events = events_about(
        subjects={
            "voordracht": [v.pk for v in voordrachten],
            "voordrachtrequest": [r.pk for r in requests],
            "enrolment": [e.pk for e in enrolments],
        }
    )
    return {
        "generated_at": timezone.now(),
        "candidate": profile,
        "status_history": _transitions(
            candidate.transitions.select_related(*related).order_by("at", "pk"), CandidateStatus
        ),
        "voordrachten": [_voordracht(v) for v in voordrachten],
        "voordracht_requests": [
            {
                "leerbaan": r.leerbaan.titel,
                "requested_by": _user(r.requested_by),
                "message": r.message,
                "created_at": r.created_at,
                "answered_at": r.answered_at,
                "answer": r.answer,
            }
            for r in requests
        ],
        "enrolments": [_enrolment(e) for e in enrolments],
        "notifications": [_event(event) for event in events],
        "changes": _changes(candidate, voordrachten, enrolments),
        "access_log": _access_log(candidate),
    }


def _access_log(candidate: Candidate) -> list[dict[str, Any]]:
    """Who saw, exported or erased the candidate's data: user name, organisation (its name),
    action and result (code and label) and page (URL name and Dutch label). The staff member's
    IP address (``origin``) stays in the access log: it is about them, not the candidate."""
    entries = list(AccessLog.objects.filter(candidate_id=candidate.pk).order_by("at", "pk"))
    names = dict(
        Organisation.objects.filter(pk__in={e.organisation_id for e in entries}).values_list(
            "pk", "name"
        )
    )
    return [
        {
            "at": entry.at,
            "username": entry.username,
            "organisation": names.get(entry.organisation_id, ""),
            "action": entry.action,
            "action_label": entry.get_action_display(),
            "view": entry.view,
            "view_label": page_label(entry.view),
            "result": entry.result,
            "result_label": entry.get_result_display(),
        }
        for entry in entries
    ]


def _prefetch_transitions(model: Any) -> Prefetch:
    return Prefetch(
        "transitions", model.objects.select_related("by", "organisation").order_by("at", "pk")
    )


def _voordracht(v: Voordracht) -> dict[str, Any]:
    return {
        "id": v.pk,
        "leerbaan": v.leerbaan.titel,
        "leerbedrijf": v.leerbaan.leerbedrijf.naam,
        "kwalificatie": f"{v.leerbaan.kwalificatie.crebo} {v.leerbaan.kwalificatie.naam}",
        "status": v.status,
        "status_label": v.get_status_display(),
        "score": v.score,
        "reasons": v.reasons,
        "motivation": v.motivation,
        "decline_reason": v.decline_reason,
        "decline_reason_label": _label(v.decline_reason, DeclineReason),
        "decline_message": v.decline_message,
        "interview_at": v.interview_at,
        "interview_place": v.interview_place,
        "interview_message": v.interview_message,
        "created_at": v.created_at,
        "updated_at": v.updated_at,
        "history": _transitions(v.transitions.all(), VoordrachtStatus),
    }


def _related_or_none(enrolment: Enrolment, name: str) -> Any:
    try:
        return getattr(enrolment, name)
    except ObjectDoesNotExist:
        return None


def _enrolment(e: Enrolment) -> dict[str, Any]:
    pok = _related_or_none(e, "praktijkovereenkomst")
    ook = _related_or_none(e, "onderwijsovereenkomst")
    verklaring = _related_or_none(e, "praktijkverklaring")
    return {
        "id": e.pk,
        "instelling": f"{e.instelling.brin} {e.instelling.naam}" if e.instelling else "",
        "kwalificatie": f"{e.kwalificatie.crebo} {e.kwalificatie.naam}",
        "leerbaan": e.leerbaan.titel if e.leerbaan else "",
        "leerbedrijf": e.leerbaan.leerbedrijf.naam if e.leerbaan else "",
        "route": e.route,
        "route_label": e.get_route_display(),
        "certificaat": str(e.certificaat) if e.certificaat else "",
        "status": e.status,
        "status_label": e.get_status_display(),
        "start_date": e.start_date,
        "outcome_date": e.outcome_date,
        "end_reason": e.end_reason,
        "end_reason_label": _label(e.end_reason, EnrolmentDeclineReason, CandidateEndReason),
        "created_at": e.created_at,
        "history": _transitions(e.transitions.all(), EnrolmentStatus),
        "praktijkovereenkomst": None
        if pok is None
        else {
            "period_start": pok.period_start,
            "period_end": pok.period_end,
            "hours_per_week": str(pok.hours_per_week),
            "hours_spread": pok.hours_spread,
            "guidance": pok.guidance,
            "onderdeel": pok.onderdeel,
            "assessment": pok.assessment,
            "signed_by_school": pok.signed_by_school,
            "signed_by_candidate": pok.signed_by_candidate,
            "signed_by_leerbedrijf": pok.signed_by_leerbedrijf,
        },
        "onderwijsovereenkomst": None if ook is None else {"signed_on": ook.signed_on},
        "programme": [
            {
                "part": str(item),
                "kind": item.kind,
                "confirmed_on": item.confirmed_on,
                "confirmed_role": item.confirmed_role,
            }
            for item in e.programme.all()
        ],
        "vrijstellingen": [
            {
                "part": str(v),
                "ground": v.ground,
                "ground_label": v.get_ground_display(),
                "explanation": v.explanation,
                "granted_on": v.granted_on,
            }
            for v in e.vrijstellingen.all()
        ],
        "results": [
            {"kind": r.kind, "name": r.name, "passed": r.passed, "date": r.result_date}
            for r in e.results.all()
        ],
        "checkins": [
            {
                "day": c.day,
                "day_label": c.get_day_display(),
                "due_on": c.due_on,
                "held_on": c.held_on,
                "with_leerbedrijf": c.with_leerbedrijf,
                "with_candidate": c.with_candidate,
                "risk": c.risk,
                "note": c.note,
            }
            for c in e.checkins.all()
        ],
        "praktijkverklaring": None
        if verklaring is None
        else {
            "number": verklaring.number,
            "issued_on": verklaring.issued_on,
            "content": verklaring.content,
        },
    }


def _event(event: Any) -> dict[str, Any]:
    return {
        "type": event.type,
        "type_label": str(EVENTS[event.type].label) if event.type in EVENTS else event.type,
        "about": f"{event.subject_type}/{event.subject_id}",
        "occurred_at": event.occurred_at,
        "messages": [
            {
                "channel": m.channel,
                "channel_label": m.get_channel_display(),
                "organisation": m.organisation.name,
                "subject": m.subject,
                "status": m.status,
                "status_label": m.get_status_display(),
                "sent_at": m.sent_at,
            }
            for m in event.outbox.all()
        ],
        "notifications": [
            {"user": _person(n.user), "title": n.title, "read_at": n.read_at}
            for n in event.notifications.all()
        ],
    }


def _changes(
    candidate: Candidate, voordrachten: list[Voordracht], enrolments: list[Enrolment]
) -> list[dict[str, Any]]:
    """django-auditlog's entries of the candidate, its voordrachten and enrolments."""
    objects = [
        (Candidate, [candidate.pk]),
        (Voordracht, [v.pk for v in voordrachten]),
        (Enrolment, [e.pk for e in enrolments]),
    ]
    condition = Q(pk__in=[])
    for model, ids in objects:
        content_type = ContentType.objects.get_for_model(model)
        condition |= Q(content_type=content_type, object_id__in=ids)
    return [
        {
            "at": entry.timestamp,
            "object": f"{entry.content_type.model}/{entry.object_id}",
            "action": entry.get_action_display(),
            "actor": _user(entry.actor),
            "changes": entry.changes,
        }
        for entry in LogEntry.objects.filter(condition)
        .select_related("content_type", "actor")
        .order_by("timestamp", "pk")
    ]


def candidate_inzage_pdf(*, inzage: dict[str, Any]) -> bytes:
    """The inzage (``candidate_inzage``'s mapping) as a readable A4 PDF (WeasyPrint, the
    praktijkverklaring's approach: ``trajecten.documents.pdf_render``), from template
    ``trajecten/inzage_pdf.html``. Returns the PDF's bytes."""
    html = render_to_string("trajecten/inzage_pdf.html", {"inzage": inzage})
    return pdf_render(html, stylesheet=INZAGE_CSS)
