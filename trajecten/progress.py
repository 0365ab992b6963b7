"""Progress of a running enrolment (domain primer, 'the main flow', step 6): werkprocessen
confirmed by the praktijkopleider or the school, lessons and exams, and the check-ins 30, 60
and 90 days after the start, whose risks (a flagged problem, or a check-in missed) the
candidate's consultant hears of once (``checkins_signal``, daily).

Every write locks the enrolment (``enrolment_lock``), refuses with ``TransitionRefused`` (a
Dutch message; code ``"role"``, ``"state"`` or ``"rule"``) what the user's role, the status or
a date does not allow, and logs without personal data.
"""

import dataclasses
import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opleidingen.constants import Route
from praktijkleren.workflow import TransitionRefused, atomic_service
from trajecten.constants import (
    ConfirmedRole,
    EnrolmentStatus,
    ProgrammeItemKind,
    ResultKind,
)
from trajecten.models import (
    CheckIn,
    Enrolment,
    ProgrammeItem,
    Result,
    is_consultant_of_enrolment,
    is_school_of,
)
from trajecten.notify import checkin_notify
from trajecten.programmes import is_werkgever_of_enrolment
from trajecten.services import enrolment_lock

logger = logging.getLogger(__name__)

# A check-in not held this many days after it was due counts as missed.
CHECKIN_MISSED_AFTER_DAYS = 14


@dataclasses.dataclass(frozen=True)
class ProgressSummary:
    """An enrolment's progress: ``confirmed`` of ``total`` werkprocessen of the programme,
    lessons and exams ``passed`` of ``results``, the check-ins that flag a risk (``risks``)
    and ``outcome_date`` (the date behaald, or None)."""

    confirmed: int
    total: int
    results: int
    passed: int
    risks: int
    outcome_date: dt.date | None


def progress_summary(*, enrolment: Enrolment) -> ProgressSummary:
    """The ``ProgressSummary`` of ``enrolment``. Four queries."""
    werkprocessen = enrolment.programme.filter(kind=ProgrammeItemKind.WERKPROCES)
    results = enrolment.results.all()
    return ProgressSummary(
        confirmed=enrolment.werkprocessen_confirmed(),
        total=werkprocessen.count(),
        results=len(results),
        passed=sum(1 for r in results if r.passed),
        risks=enrolment.checkins.filter(risk=True).count(),
        outcome_date=enrolment.outcome_date,
    )


def _refuse_unless_running(enrolment: Enrolment) -> None:
    if enrolment.status != EnrolmentStatus.GESTART:
        raise TransitionRefused(
            _("De voortgang legt u vast zolang de opleiding loopt (status ‘Gestart’)."),
            code="state",
        )


def date_refusal(enrolment: Enrolment, on: dt.date) -> str:
    """Why ``on`` cannot be a date of the enrolment's progress (Dutch), or "": it lies neither
    in the future nor before the start date."""
    if on > timezone.localdate():
        return _("Deze datum ligt in de toekomst.")
    if enrolment.start_date is not None and on < enrolment.start_date:
        return _("Deze datum ligt vóór de start van de opleiding.")
    return ""


def _refuse_bad_date(enrolment: Enrolment, on: dt.date) -> None:
    refusal = date_refusal(enrolment, on)
    if refusal:
        raise TransitionRefused(refusal, code="rule")


@atomic_service
def werkproces_confirm(
    *, enrolment: Enrolment, by: Any, item: ProgrammeItem, on: dt.date
) -> ProgrammeItem:
    """Confirm that the candidate masters the werkproces of programme ``item`` on ``on`` (a
    date, from the start date up to today), while the enrolment is gestart: by a werkgever user
    of the leerbaan's leerbedrijf (as praktijkopleider) or by the school. Once only. Raises
    ``TransitionRefused``."""
    enrolment = enrolment_lock(enrolment=enrolment)
    if is_school_of(enrolment, by):
        role = ConfirmedRole.SCHOOL
    elif is_werkgever_of_enrolment(enrolment, by):
        role = ConfirmedRole.PRAKTIJKOPLEIDER
    else:
        raise TransitionRefused(
            _(
                "Alleen het leerbedrijf (de praktijkopleider) of de school bevestigt een "
                "werkproces."
            ),
            code="role",
        )
    _refuse_unless_running(enrolment)
    item = ProgrammeItem.objects.select_for_update().get(pk=item.pk, enrolment=enrolment)
    if item.kind != ProgrammeItemKind.WERKPROCES:
        raise TransitionRefused(_("Alleen een werkproces wordt bevestigd."), code="rule")
    if item.confirmed_on is not None:
        raise TransitionRefused(_("Dit werkproces is al bevestigd."), code="state")
    _refuse_bad_date(enrolment, on)
    item.confirmed_on, item.confirmed_by, item.confirmed_role = on, by, role
    item.save(update_fields=["confirmed_on", "confirmed_by", "confirmed_role"])
    logger.info("Enrolment %s: werkproces item %s confirmed (%s)", enrolment.pk, item.pk, role)
    return item


@atomic_service
def result_record(
    *, enrolment: Enrolment, by: Any, kind: str, name: str, passed: bool, result_date: dt.date
) -> Result:
    """The school ``by`` records a lesson or exam (``kind``, ``ResultKind``) ``name``, passed or
    failed, on ``result_date`` (from the start date up to today), while the enrolment is
    gestart. A praktijkverklaring route has no exam. Raises ``TransitionRefused``."""
    enrolment = enrolment_lock(enrolment=enrolment)
    if not is_school_of(enrolment, by):
        raise TransitionRefused(
            _("Alleen de mbo-instelling legt lessen en examens vast."), code="role"
        )
    _refuse_unless_running(enrolment)
    if kind not in ResultKind.values:
        raise TransitionRefused(_("Kies les of examen."), code="rule")
    if kind == ResultKind.EXAMEN and enrolment.route == Route.PRAKTIJKVERKLARING:
        raise TransitionRefused(
            _("De route naar een praktijkverklaring heeft geen examen."), code="rule"
        )
    name = " ".join(name.split())
    if not name:
        raise TransitionRefused(_("Noem het onderdeel."), code="rule")
    _refuse_bad_date(enrolment, result_date)
    result = Result.objects.create(
        enrolment=enrolment,
        kind=kind,
        name=name,
        passed=passed,
        result_date=result_date,
        created_by=by,
    )
    logger.info("Enrolment %s: %s result %s recorded", enrolment.pk, kind, result.pk)
    return result


@atomic_service
def checkin_record(
    *,
    enrolment: Enrolment,
    by: Any,
    checkin: CheckIn,
    held_on: dt.date,
    with_leerbedrijf: bool,
    with_candidate: bool,
    risk: bool,
    note: str = "",
) -> CheckIn:
    """The school or the candidate's consultant ``by`` records check-in ``checkin`` (of this
    enrolment) held on ``held_on`` (from the start date up to today), with or without the
    leerbedrijf and the candidate, flagging a problem (``risk``) or not, with a ``note``,
    while the enrolment is gestart. Recording it again corrects it. A flagged problem reaches
    the candidate's consultant at once (``checkin_notify``, once per check-in:
    ``signalled_at``); a missed one through the daily ``checkins_signal``. Raises
    ``TransitionRefused``."""
    enrolment = enrolment_lock(enrolment=enrolment)
    if not (is_school_of(enrolment, by) or is_consultant_of_enrolment(enrolment, by)):
        raise TransitionRefused(
            _("Alleen de school of de consulent van de kandidaat legt een voortgangsgesprek vast."),
            code="role",
        )
    _refuse_unless_running(enrolment)
    checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk, enrolment=enrolment)
    _refuse_bad_date(enrolment, held_on)
    checkin.held_on = held_on
    checkin.with_leerbedrijf = with_leerbedrijf
    checkin.with_candidate = with_candidate
    checkin.risk = risk
    checkin.note = note.strip()
    checkin.recorded_by = by
    if risk and checkin.signalled_at is None:
        checkin_notify(enrolment=enrolment, checkin=checkin, missed=False)
        checkin.signalled_at = timezone.now()
    checkin.save()
    logger.info("Enrolment %s: check-in %s recorded (risk %s)", enrolment.pk, checkin.day, risk)
    return checkin


def checkins_due_for_signal(*, today: dt.date) -> Any:
    """Check-ins of running enrolments not yet signalled that flag a risk, or that were not
    held ``CHECKIN_MISSED_AFTER_DAYS`` days after they were due."""
    missed_before = today - dt.timedelta(days=CHECKIN_MISSED_AFTER_DAYS)
    return CheckIn.objects.filter(
        signalled_at__isnull=True, enrolment__status=EnrolmentStatus.GESTART
    ).filter(
        Q(held_on__isnull=False, risk=True) | Q(held_on__isnull=True, due_on__lt=missed_before)
    )


def checkins_signal(*, today: dt.date | None = None) -> int:
    """Tell the candidate's consultant (and organisation) once of every check-in of a running
    enrolment that flags a risk or was missed (not held 14 days after it was due): an
    ``enrolment.checkin_signal`` event, then ``signalled_at`` is set. One transaction per
    check-in, locked with ``skip_locked``; a later run finds nothing new (idempotent).
    ``today`` defaults to the local date. Returns how many were signalled now."""
    today = today or timezone.localdate()
    signalled = 0
    for pk in list(checkins_due_for_signal(today=today).values_list("pk", flat=True)):
        with transaction.atomic():
            checkin = (
                checkins_due_for_signal(today=today)
                .select_for_update(skip_locked=True, of=("self",))
                .filter(pk=pk)
                .first()
            )
            if checkin is None:
                continue
            enrolment = Enrolment.objects.select_related(
                "candidate__organisation",
                "candidate__consultant",
                "kwalificatie",
                "leerbaan__leerbedrijf",
            ).get(pk=checkin.enrolment_id)
            checkin_notify(enrolment=enrolment, checkin=checkin, missed=checkin.held_on is None)
            checkin.signalled_at = timezone.now()
            checkin.save(update_fields=["signalled_at"])
            logger.info("Enrolment %s: check-in %s signalled", enrolment.pk, checkin.day)
            signalled += 1
    return signalled
