"""Writes on trajecten: the placement that starts an enrolment, and one service per transition
of the enrolment's workflow (``trajecten.models.Enrolment``; ``docs/architecture.md``).

Like every transition service, each locks its rows (candidate first, then the enrolment), lets
``praktijkleren.workflow.transition_apply`` refuse what the state, a rule or the user's role
does not allow (``TransitionRefused``, with a Dutch message) and writes the transition log. The
candidate follows its enrolment: gestart → in opleiding, afgerond → afgerond, gestopt →
uitgevallen (``candidates.services.candidate_follow``), in the same transaction.
"""

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates import services as candidate_services
from candidates.constants import OPEN_VOORDRACHT_STATUSES, VoordrachtStatus
from candidates.models import Candidate, Voordracht
from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.models import Erkenning, Leerbaan
from leerbedrijven.selectors import closing_today
from opleidingen.constants import Leerweg, Route
from opleidingen.models import Certificaat, StartMoment
from opleidingen.services import startmoment_place_release, startmoment_place_take
from praktijkleren.workflow import (
    TransitionRefused,
    atomic_service,
    log_write,
    transition_apply,
    transition_check,
)
from trajecten.constants import LIVE_ENROLMENT_STATUSES, CheckInDay, EnrolmentStatus
from trajecten.models import CheckIn, Enrolment, is_school_of
from trajecten.notify import enrolment_notify, erkenning_notify
from trajecten.selectors import ReadinessItem, offer_proposed, offers_for, readiness_missing

logger = logging.getLogger(__name__)


@atomic_service
def voordracht_accept(*, voordracht: Voordracht, by: Any) -> Enrolment:
    """The werkgever ``by`` accepts ``voordracht`` (uitgenodigd → aangenomen): the placement.

    In one transaction: ``candidates.services.voordracht_accept`` (refusals, the candidate's other
    voordrachten elders geplaatst, the candidate geplaatst, the leerbaan's place) and the
    enrolment request (``enrolment_request``). Raises ``TransitionRefused``. Returns the new
    enrolment.
    """
    voordracht = candidate_services.voordracht_accept(voordracht=voordracht, by=by)
    return enrolment_request(voordracht=voordracht, by=by)


def enrolment_request(*, voordracht: Voordracht, by: Any) -> Enrolment:
    """The enrolment request that follows the acceptance of ``voordracht`` (inside the caller's
    transaction), for the leerbaan's kwalificatie on the candidate's route.

    It goes to the nearest mbo-instelling (to the candidate's home, PC4 point: the candidate
    travels to school) that offers the kwalificatie in BBL and has a start moment with room on
    or after the candidate's earliest start date (or today), proposing that start moment
    (``Enrolment.startmoment``; its place is taken only when the school accepts). When none
    has room, the nearest offering instelling, without a proposed start moment: the school
    proposes a date (``trajecten.selectors.offers_for``, ``offer_proposed``). Without any
    offering instelling the request has no instelling: the consultant's to-do. Logged with the
    acceptance's user ``by``.
    """
    candidate, leerbaan = voordracht.candidate, voordracht.leerbaan
    proposed = offer_proposed(offers_for(candidate=candidate, kwalificatie=leerbaan.kwalificatie))
    enrolment = Enrolment.objects.create(
        candidate=candidate,
        voordracht=voordracht,
        leerbaan=leerbaan,
        kwalificatie=leerbaan.kwalificatie,
        route=candidate.route,
        instelling=proposed.offering.instelling if proposed else None,
        distance_km=proposed.offering.km if proposed else None,
        startmoment=proposed.startmoment if proposed else None,
    )
    log = log_write(enrolment, transition="request", from_state="", by=by)
    enrolment_notify(enrolment=enrolment, log=log)
    logger.info(
        "Enrolment %s requested (instelling %s, start moment %s)",
        enrolment.pk,
        enrolment.instelling_id or "none: to-do",
        enrolment.startmoment_id or "none",
    )
    return enrolment


def enrolment_lock(*, enrolment: Enrolment) -> Enrolment:
    """``enrolment`` re-read with its candidate's row and its own locked (in that order) for
    the rest of the caller's transaction, with its instelling and candidate attached."""
    candidate_id = Enrolment.objects.values_list("candidate_id", flat=True).get(pk=enrolment.pk)
    candidate = candidate_services.candidate_lock(candidate=Candidate(pk=candidate_id))
    locked = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("instelling", "kwalificatie")
        .get(pk=enrolment.pk)
    )
    locked.candidate = candidate
    return locked


@atomic_service
def enrolment_instelling_choose(*, enrolment: Enrolment, by: Any, instelling: Any) -> Enrolment:
    """The consultant sends a request without instelling, or one an instelling declined, to
    ``instelling`` (→ aangevraagd there), proposing its first start moment with room
    (``trajecten.selectors.offers_for``; none when it has none). Refuses
    (``TransitionRefused``) an instelling that does not offer the kwalificatie in BBL, a
    request an instelling is still deciding on, and anyone but a consultant of the candidate's
    organisation."""
    enrolment = enrolment_lock(enrolment=enrolment)
    offers = offers_for(candidate=enrolment.candidate, kwalificatie=enrolment.kwalificatie)
    offer = next((o for o in offers if o.offering.instelling.pk == instelling.pk), None)
    chosen = offer.offering if offer else None
    if chosen is None:
        raise TransitionRefused(
            _("Deze instelling biedt %(kwalificatie)s niet in BBL aan.")
            % {"kwalificatie": enrolment.kwalificatie},
            code="rule",
        )
    log = transition_apply(
        enrolment,
        "choose_instelling",
        by=by,
        instelling=chosen.instelling,
        distance_km=chosen.km,
        startmoment=offer.startmoment if offer else None,
        reason=str(chosen.instelling),
    )
    enrolment_notify(enrolment=enrolment, log=log)
    return enrolment


@atomic_service
def enrolment_accept(
    *,
    enrolment: Enrolment,
    by: Any,
    route: str,
    start_date: dt.date | None = None,
    startmoment: StartMoment | None = None,
    certificaat: Certificaat | None = None,
) -> Enrolment:
    """aangevraagd → geaccepteerd, by the instelling's school, on one of its start moments for
    the kwalificatie in BBL (``startmoment``: its place is taken under its lock,
    ``opleidingen.services.startmoment_place_take``, and the start date is its date) or, for a
    school without a fitting start moment, on ``start_date`` (a date): exactly one of both. The
    school confirms ``route`` (``Route``; ``route_confirmed_at`` is now) and, for the
    certificaat route, names the ``certificaat`` (one of the kwalificatie's; none on the other
    routes).

    Raises ``TransitionRefused``: the state or the role first (as every transition), then
    (code ``"rule"``) both or neither of start moment and date, a start moment of another
    instelling or kwalificatie or not BBL, a full start moment, an unknown route, a missing or
    foreign certificaat, or a certificaat on another route."""
    enrolment = enrolment_lock(enrolment=enrolment)
    transition_check(enrolment, "accept", by=by)
    _accept_check(enrolment, start_date, startmoment, route, certificaat)
    if startmoment is not None:
        startmoment = startmoment_place_take(startmoment=startmoment)
    log = transition_apply(
        enrolment,
        "accept",
        by=by,
        start_date=start_date,
        startmoment=startmoment,
        route=route,
        certificaat=certificaat if route == Route.CERTIFICAAT else None,
    )
    enrolment_notify(enrolment=enrolment, log=log)
    return enrolment


def _refuse(message: str) -> TransitionRefused:
    return TransitionRefused(message, code="rule")


def _accept_check(
    enrolment: Enrolment,
    start_date: dt.date | None,
    startmoment: StartMoment | None,
    route: str,
    certificaat: Certificaat | None,
) -> None:
    if (start_date is None) == (startmoment is None):
        raise _refuse(_("Kies een startmoment of vul een startdatum in, niet allebei."))
    if startmoment is not None:
        fits = StartMoment.objects.filter(
            pk=startmoment.pk,
            aanbod__instelling_id=enrolment.instelling_id,
            aanbod__kwalificatie_id=enrolment.kwalificatie_id,
            aanbod__leerweg=Leerweg.BBL,
        ).exists()
        if not fits:
            raise _refuse(
                _("Dit startmoment hoort niet bij uw BBL-aanbod van %(kwalificatie)s.")
                % {"kwalificatie": enrolment.kwalificatie}
            )
    if route not in Route.values:
        raise _refuse(_("Kies een van de drie routes."))
    if route == Route.CERTIFICAAT:
        if certificaat is None:
            raise _refuse(_("Kies bij de route certificaat het mbo-certificaat."))
        if not certificaat.kwalificaties.filter(pk=enrolment.kwalificatie_id).exists():
            raise _refuse(
                _("Dit mbo-certificaat hoort niet bij %(kwalificatie)s.")
                % {"kwalificatie": enrolment.kwalificatie}
            )
    elif certificaat is not None:
        raise _refuse(_("Een mbo-certificaat hoort alleen bij de route certificaat."))


@atomic_service
def enrolment_decline(
    *, enrolment: Enrolment, by: Any, reason_code: str, reason: str = ""
) -> Enrolment:
    """aangevraagd → afgewezen, by the school, with ``reason_code``
    (``EnrolmentDeclineReason``) and optional ``reason`` text. The candidate stays geplaatst:
    the consultant looks for another instelling. Raises ``TransitionRefused``."""
    enrolment = enrolment_lock(enrolment=enrolment)
    log = transition_apply(enrolment, "decline", by=by, reason_code=reason_code, reason=reason)
    enrolment_notify(enrolment=enrolment, log=log)
    return enrolment


@atomic_service
def enrolment_start(*, enrolment: Enrolment, by: Any) -> Enrolment:
    """geaccepteerd → gestart, by the school, on or after the start date, once every item of the
    readiness checklist holds (``trajecten.selectors.enrolment_readiness``); the candidate is in
    opleiding, and its check-ins 30, 60 and 90 days on are planned (``checkins_create``).
    Raises ``TransitionRefused``: for an accepted enrolment that the school may
    start but is not ready, its message lists the missing items (checked under the lock)."""
    enrolment = enrolment_lock(enrolment=enrolment)
    if enrolment.status == EnrolmentStatus.GEACCEPTEERD and is_school_of(enrolment, by):
        missing = readiness_missing(enrolment=enrolment)
        if missing:
            raise TransitionRefused(readiness_refusal(missing), code="rule")
    log = transition_apply(enrolment, "start", by=by)
    checkins_create(enrolment=enrolment)
    enrolment_notify(enrolment=enrolment, log=log)
    candidate_services.candidate_follow(candidate=enrolment.candidate, name="start_training", by=by)
    return enrolment


def checkins_create(*, enrolment: Enrolment) -> list[CheckIn]:
    """The three check-ins of an enrolment that starts (inside ``enrolment_start``'s
    transaction): due 30, 60 and 90 days after its start date (today without one). Creates
    only the missing ones; returns all three."""
    start = enrolment.start_date or timezone.localdate()
    return [
        CheckIn.objects.get_or_create(
            enrolment=enrolment,
            day=day,
            defaults={"due_on": start + dt.timedelta(days=int(day))},
        )[0]
        for day in CheckInDay.values
    ]


def readiness_refusal(missing: list[ReadinessItem]) -> str:
    """The refusal of a start that is not ready: one Dutch sentence listing ``missing`` items,
    each with its explanation."""
    items = "; ".join(f"{item.label}: {item.explanation}" for item in missing)
    return _("De inschrijving kan nog niet starten. Nog niet in orde: %(items)s") % {"items": items}


@atomic_service
def enrolment_complete(
    *, enrolment: Enrolment, by: Any, outcome_date: dt.date | None = None
) -> Enrolment:
    """gestart → afgerond, by the school; the candidate is afgerond. On a certificaat or
    diploma route ``outcome_date`` is the date behaald (required; not in the future, not before
    the start date); a praktijkverklaring route needs a confirmed werkproces (the transition's
    rule). Raises ``TransitionRefused``."""
    enrolment = enrolment_lock(enrolment=enrolment)
    transition_check(enrolment, "complete", by=by)
    if enrolment.route in OUTCOME_DATE_ROUTES:
        refusal = outcome_date_refusal(enrolment, outcome_date)
        if refusal:
            raise TransitionRefused(refusal, code="rule")
    else:
        outcome_date = None
    log = transition_apply(enrolment, "complete", by=by, outcome_date=outcome_date)
    enrolment_notify(enrolment=enrolment, log=log)
    candidate_services.candidate_follow(candidate=enrolment.candidate, name="complete", by=by)
    return enrolment


# An enrolment on a start moment holds a place there from its acceptance; stopping gives it back.
PLACE_HOLDING_STATUSES = (EnrolmentStatus.GEACCEPTEERD, EnrolmentStatus.GESTART)


# The routes that end in a document behaald on a date: the certificaat and the diploma.
OUTCOME_DATE_ROUTES = (Route.CERTIFICAAT, Route.DIPLOMA)


def outcome_date_refusal(enrolment: Enrolment, outcome_date: dt.date | None) -> str:
    """Why ``outcome_date`` cannot be the date the enrolment's certificaat or diploma was
    behaald (Dutch), or "": it is given, not in the future and not before the start date."""
    if outcome_date is None:
        return _("Vul de datum in waarop de kandidaat het behaalde.")
    if outcome_date > timezone.localdate():
        return _("De datum behaald ligt niet in de toekomst.")
    if enrolment.start_date is not None and outcome_date < enrolment.start_date:
        return _("De datum behaald ligt niet vóór de start van de opleiding.")
    return ""


@atomic_service
def enrolment_stop(
    *, enrolment: Enrolment, by: Any, reason_code: str, reason: str = ""
) -> Enrolment:
    """aangevraagd, geaccepteerd or gestart → gestopt, by the school or a consultant of the
    candidate's organisation, with ``reason_code`` (``CandidateEndReason``) and optional
    ``reason``; the candidate drops out (uitgevallen) with the same reason. Raises
    ``TransitionRefused``. An accepted or started enrolment gives its place on its start moment
    back (``opleidingen.services.startmoment_place_release``)."""
    enrolment = enrolment_lock(enrolment=enrolment)
    held_place = enrolment.status in PLACE_HOLDING_STATUSES and enrolment.startmoment_id
    log = transition_apply(enrolment, "stop", by=by, reason_code=reason_code, reason=reason)
    if held_place:
        startmoment_place_release(startmoment=StartMoment(pk=enrolment.startmoment_id))
    enrolment_notify(enrolment=enrolment, log=log)
    candidate_services.candidate_follow(
        candidate=enrolment.candidate, name="drop_out", by=by, reason_code=reason_code
    )
    return enrolment


# The agreements are recorded before the start: while the request waits or once accepted.
AGREEMENT_STATUSES = (EnrolmentStatus.AANGEVRAAGD, EnrolmentStatus.GEACCEPTEERD)


@atomic_service
def agreement_save(*, enrolment: Enrolment, by: Any, form: Any) -> Any:
    """Save the praktijkovereenkomst or onderwijsovereenkomst of ``form`` (a valid
    ``PraktijkovereenkomstForm`` or ``OnderwijsovereenkomstForm`` bound to the enrolment's
    agreement or a new one) for ``enrolment``, by a user ``by`` of its school, while the
    enrolment is aangevraagd or geaccepteerd (under the enrolment's lock). Raises
    ``TransitionRefused`` (code ``"role"`` or ``"state"``) otherwise. Returns the agreement."""
    enrolment = enrolment_lock(enrolment=enrolment)
    if not is_school_of(enrolment, by):
        raise TransitionRefused(
            _("Alleen de mbo-instelling van deze inschrijving legt de overeenkomsten vast."),
            code="role",
        )
    if enrolment.status not in AGREEMENT_STATUSES:
        raise TransitionRefused(
            _("Met de status ‘%(status)s’ wijzigt u de overeenkomsten niet meer.")
            % {"status": enrolment.get_status_display()},
            code="state",
        )
    agreement = form.save(commit=False)
    agreement.enrolment = enrolment
    agreement.save()
    logger.info("Enrolment %s: %s saved", enrolment.pk, type(agreement).__name__)
    return agreement


# An erkenning that ends within this many days is announced to whoever depends on it.
ERKENNING_WARNING_DAYS = 90


def erkenningen_announce(*, today: dt.date | None = None) -> int:
    """Announce every BBL erkenning that ends within 90 days (``erkenning.ending``) or has
    ended (``erkenning.ended``) while leerbanen, voordrachten or enrolments depend on it: its
    published leerbanen for that kwalificatie, their open or accepted voordrachten and running
    enrolments. An erkenning that SBB has renewed (``erkenning_renewed``) is not announced.
    Each end date is announced once (the event's version), so a later run writes nothing new;
    one transaction per erkenning. ``today`` defaults to the date in Europe/Amsterdam. Returns
    how many erkenningen were due, announced now or by an earlier run."""
    today = today or closing_today()
    ending = Erkenning.objects.filter(
        leerweg=Leerweg.BBL,
        geldig_tot__isnull=False,
        geldig_tot__lte=today + dt.timedelta(days=ERKENNING_WARNING_DAYS),
    ).select_related("leerbedrijf__organisation", "kwalificatie")
    announced = 0
    for erkenning in ending:
        if erkenning_renewed(erkenning):
            continue
        with transaction.atomic():
            announced += _erkenning_announce(erkenning, today)
    return announced


def erkenning_renewed(erkenning: Erkenning) -> bool:
    """True when a later period of the same erkenning (leerbedrijf, kwalificatie, leerweg)
    starts at the latest the day after ``erkenning`` ends and runs longer: the leerbedrijf stays
    erkend without a gap (SBB records a renewal as a new period; domain primer, 'Erkende
    leerbedrijven')."""
    assert erkenning.geldig_tot is not None
    return (
        Erkenning.objects.filter(
            leerbedrijf_id=erkenning.leerbedrijf_id,
            kwalificatie_id=erkenning.kwalificatie_id,
            leerweg=erkenning.leerweg,
            geldig_van__gt=erkenning.geldig_van,
            geldig_van__lte=erkenning.geldig_tot + dt.timedelta(days=1),
        )
        .filter(Q(geldig_tot__isnull=True) | Q(geldig_tot__gt=erkenning.geldig_tot))
        .exists()
    )


def _erkenning_announce(erkenning: Erkenning, today: dt.date) -> int:
    leerbanen = Leerbaan.objects.filter(
        leerbedrijf=erkenning.leerbedrijf, kwalificatie=erkenning.kwalificatie
    )
    published = leerbanen.filter(status=LeerbaanStatus.GEPUBLICEERD).count()
    voordrachten = list(
        Voordracht.objects.filter(
            leerbaan__in=leerbanen,
            status__in=[*OPEN_VOORDRACHT_STATUSES, VoordrachtStatus.AANGENOMEN],
        ).select_related("candidate__organisation", "candidate__consultant")
    )
    enrolments = list(
        Enrolment.objects.filter(
            leerbaan__in=leerbanen, status__in=LIVE_ENROLMENT_STATUSES
        ).select_related("candidate__organisation", "candidate__consultant", "instelling")
    )
    if not (published or voordrachten or enrolments):
        return 0
    assert erkenning.geldig_tot is not None
    ended = erkenning.geldig_tot < today
    erkenning_notify(
        erkenning=erkenning,
        type="erkenning.ended" if ended else "erkenning.ending",
        voordrachten=voordrachten,
        enrolments=enrolments,
        leerbanen=published,
    )
    return 1
