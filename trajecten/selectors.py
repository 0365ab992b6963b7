"""Reads on enrolments: who sees which, where they may go, and whether one is ready to start."""

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from candidates.models import Candidate
from candidates.selectors import praktijkopleider_load
from leerbedrijven.models import Erkenning
from opleidingen.models import Kwalificatie, StartMoment
from opleidingen.selectors import (
    OfferingInstelling,
    instellingen_offering,
    next_startmomenten_with_room,
)
from praktijkleren.accounts.constants import CONSULTANT_KINDS, OrganisationKind
from praktijkleren.accounts.selectors import PortalUser, organisation_of
from trajecten.models import Enrolment, Onderwijsovereenkomst, Praktijkovereenkomst


def enrolments_visible_to(*, user: PortalUser) -> QuerySet[Enrolment]:
    """Enrolments ``user`` may see: an mbo-instelling those at its ``MboInstelling``
    (``MboInstelling.organisation``); a consultant those of its organisation's candidates
    (including requests without an instelling, its to-dos); a werkgever those for its
    leerbedrijven's leerbanen; anyone else none."""
    organisation = organisation_of(user)
    if organisation is None:
        return Enrolment.objects.none()
    if organisation.kind == OrganisationKind.MBO_INSTELLING:
        return Enrolment.objects.filter(instelling__organisation=organisation)
    if organisation.kind in CONSULTANT_KINDS:
        return Enrolment.objects.filter(candidate__organisation=organisation)
    if organisation.kind == OrganisationKind.WERKGEVER:
        return Enrolment.objects.filter(leerbaan__leerbedrijf__organisation=organisation)
    return Enrolment.objects.none()


def enrolment_offering(*, enrolment: Enrolment) -> list[OfferingInstelling]:
    """The instellingen that offer the enrolment's kwalificatie in BBL, nearest to the
    candidate's home first (``instellingen_offering``)."""
    home = enrolment.candidate.postcode
    return instellingen_offering(kwalificatie=enrolment.kwalificatie, lat=home.lat, lon=home.lon)


@dataclasses.dataclass(frozen=True)
class Offer:
    """An instelling that offers a kwalificatie in BBL (``offering``: with its nearest location
    and distance) and its first start moment with room from the candidate's earliest start
    (``startmoment``, None when it has none)."""

    offering: OfferingInstelling
    startmoment: StartMoment | None


def proposal_from_date(*, candidate: Candidate) -> dt.date:
    """From which date a start moment suits ``candidate``: its earliest start date, or today
    when that has passed (or is missing)."""
    today = timezone.localdate()
    earliest = candidate.earliest_start_date
    return max(today, earliest) if earliest else today


def offers_for(*, candidate: Candidate, kwalificatie: Kwalificatie) -> list[Offer]:
    """The instellingen that offer ``kwalificatie`` in BBL, nearest to ``candidate``'s home
    (PC4 point) first, each with its first start moment with room on or after
    ``proposal_from_date`` (``opleidingen.selectors.next_startmomenten_with_room``). Three
    queries."""
    home = candidate.postcode
    offering = instellingen_offering(kwalificatie=kwalificatie, lat=home.lat, lon=home.lon)
    starts = next_startmomenten_with_room(
        instelling_ids=[o.instelling.pk for o in offering],
        kwalificatie=kwalificatie,
        from_date=proposal_from_date(candidate=candidate),
    )
    return [Offer(o, starts.get(o.instelling.pk)) for o in offering]


def offer_proposed(offers: list[Offer]) -> Offer | None:
    """The offer an enrolment request goes to: the nearest with a start moment with room,
    else the nearest (the school can still propose a date); None without any."""
    return next((o for o in offers if o.startmoment is not None), offers[0] if offers else None)


# BBL: at least 610 hours a year at the workplace (beroepspraktijkvorming), besides at least 200
# taught hours, 850 in all (WEB art. 7.2.7; domain primer, 'Documents and contracts').
BBL_MIN_PRACTICE_HOURS_PER_YEAR = 610
DAYS_PER_YEAR = Decimal("365")


@dataclasses.dataclass(frozen=True)
class ReadinessItem:
    """One item of the checklist before an enrolment can start: ``key`` (stable, for tests and
    anchors), ``label`` (Dutch), ``ok`` and ``explanation`` (Dutch: what is missing, or what
    holds)."""

    key: str
    label: str
    ok: bool
    explanation: str


def enrolment_readiness(*, enrolment: Enrolment) -> list[ReadinessItem]:
    """The five items that must hold before the school may register the start (gestart), in
    this order: ``erkenning`` (the leerbaan's leerbedrijf is erkend for the enrolment's
    kwalificatie in BBL on the start date, ``Erkenning.objects.valid_on``), ``praktijkopleider``
    (the leerbaan names an active praktijkopleider who supervises no more than ``capacity``
    candidates, this one included), ``pok`` (the praktijkovereenkomst is recorded, its period
    covers the start date, and it is signed by school, candidate and leerbedrijf), ``ook`` (the
    onderwijsovereenkomst is signed) and
    ``bbl_uren`` (the POK's hours meet the BBL minimum, ``bbl_hours_shortfall``). Every
    enrolment of the portal is BBL: a leerbaan is a BBL position and the request goes to an
    instelling that offers the kwalificatie in BBL. At most five queries."""
    pok = _related_or_none(enrolment, "praktijkovereenkomst")
    ook = _related_or_none(enrolment, "onderwijsovereenkomst")
    return [
        _erkenning_item(enrolment),
        _praktijkopleider_item(enrolment),
        _pok_item(pok, enrolment.start_date),
        _ook_item(ook),
        _hours_item(pok),
    ]


def readiness_missing(*, enrolment: Enrolment) -> list[ReadinessItem]:
    """The items of ``enrolment_readiness`` that do not hold (empty: ready to start)."""
    return [item for item in enrolment_readiness(enrolment=enrolment) if not item.ok]


def bbl_hours_per_year(*, pok: Praktijkovereenkomst) -> Decimal:
    """The POK's pace of hours at the leerbedrijf per year (hours): ``hours_per_week`` × 365 / 7
    weeks. The WEB sets the minimum per year of the opleiding, so a period shorter or longer
    than a year is judged by the same weekly pace."""
    return Decimal(pok.hours_per_week) * DAYS_PER_YEAR / Decimal(7)


def bbl_hours_shortfall(*, pok: Praktijkovereenkomst) -> int:
    """How many hours a year the POK falls short of the BBL minimum of 610 hours at the
    workplace (WEB art. 7.2.7, domain primer 'Documents and contracts'); 0 when it meets it.
    The 200 taught hours are the school's programme, not part of the POK."""
    per_year = bbl_hours_per_year(pok=pok)
    return max(
        0, int((BBL_MIN_PRACTICE_HOURS_PER_YEAR - per_year).to_integral_value("ROUND_CEILING"))
    )


def _related_or_none(enrolment: Enrolment, name: str) -> Any:
    try:
        return getattr(enrolment, name)
    except (Praktijkovereenkomst.DoesNotExist, Onderwijsovereenkomst.DoesNotExist):
        return None


def _day(value: dt.date) -> str:
    return date_format(value, "j F Y")


def _erkenning_item(enrolment: Enrolment) -> ReadinessItem:
    label = _("Erkenning van het leerbedrijf")
    leerbaan = enrolment.leerbaan
    if leerbaan is None:
        return ReadinessItem(
            "erkenning", label, False, _("Er is geen leerbaan bij deze inschrijving.")
        )
    if enrolment.start_date is None:
        return ReadinessItem("erkenning", label, False, _("De startdatum is nog niet bekend."))
    valid = (
        Erkenning.objects.valid_on(enrolment.start_date)
        .filter(leerbedrijf_id=leerbaan.leerbedrijf_id, kwalificatie_id=enrolment.kwalificatie_id)
        .exists()
    )
    facts = {
        "leerbedrijf": leerbaan.leerbedrijf.naam,
        "kwalificatie": enrolment.kwalificatie,
        "datum": _day(enrolment.start_date),
    }
    if valid:
        return ReadinessItem(
            "erkenning",
            label,
            True,
            _("%(leerbedrijf)s is op %(datum)s erkend voor %(kwalificatie)s in BBL.") % facts,
        )
    return ReadinessItem(
        "erkenning",
        label,
        False,
        _(
            "%(leerbedrijf)s is op de startdatum, %(datum)s, niet erkend voor %(kwalificatie)s "
            "in BBL. Het leerbedrijf vraagt de erkenning aan bij SBB."
        )
        % facts,
    )


def _praktijkopleider_item(enrolment: Enrolment) -> ReadinessItem:
    label = _("Praktijkopleider")
    praktijkopleider = enrolment.leerbaan.praktijkopleider if enrolment.leerbaan else None
    if praktijkopleider is None:
        return ReadinessItem(
            "praktijkopleider",
            label,
            False,
            _("De leerbaan noemt geen praktijkopleider: de werkgever kiest er een."),
        )
    facts = {"naam": praktijkopleider.naam, "capacity": praktijkopleider.capacity}
    if not praktijkopleider.is_active:
        return ReadinessItem(
            "praktijkopleider",
            label,
            False,
            _("Praktijkopleider %(naam)s is niet meer actief: de werkgever kiest een ander.")
            % facts,
        )
    others = praktijkopleider_load(
        praktijkopleider=praktijkopleider, excluding=enrolment.voordracht
    )
    facts["load"] = others + 1
    if others >= praktijkopleider.capacity:
        return ReadinessItem(
            "praktijkopleider",
            label,
            False,
            _(
                "Praktijkopleider %(naam)s zou %(load)d kandidaten begeleiden, meer dan de "
                "%(capacity)d die past: de werkgever kiest een andere praktijkopleider of "
                "verhoogt de capaciteit."
            )
            % facts,
        )
    return ReadinessItem(
        "praktijkopleider",
        label,
        True,
        _("%(naam)s begeleidt %(load)d van ten hoogste %(capacity)d kandidaten.") % facts,
    )


def _pok_item(pok: Praktijkovereenkomst | None, start: dt.date | None) -> ReadinessItem:
    label = _("Praktijkovereenkomst (POK)")
    if pok is None:
        return ReadinessItem(
            "pok", label, False, _("De praktijkovereenkomst is nog niet vastgelegd.")
        )
    if start is not None and not pok.period_start <= start <= pok.period_end:
        return ReadinessItem(
            "pok",
            label,
            False,
            _(
                "De periode van de praktijkovereenkomst (%(van)s tot en met %(tot)s) omvat de "
                "startdatum %(start)s niet."
            )
            % {"van": _day(pok.period_start), "tot": _day(pok.period_end), "start": _day(start)},
        )
    missing = pok.signatures_missing()
    if missing:
        return ReadinessItem(
            "pok",
            label,
            False,
            _("Nog niet getekend door: %(partijen)s.") % {"partijen": ", ".join(missing)},
        )
    last = max(
        d for d in (pok.signed_by_school, pok.signed_by_candidate, pok.signed_by_leerbedrijf) if d
    )
    return ReadinessItem(
        "pok",
        label,
        True,
        _("Getekend door school, kandidaat en leerbedrijf, het laatst op %(datum)s.")
        % {"datum": _day(last)},
    )


def _ook_item(ook: Onderwijsovereenkomst | None) -> ReadinessItem:
    label = _("Onderwijsovereenkomst (OOK)")
    if ook is None or ook.signed_on is None:
        return ReadinessItem(
            "ook", label, False, _("De onderwijsovereenkomst is nog niet getekend.")
        )
    return ReadinessItem(
        "ook", label, True, _("Getekend op %(datum)s.") % {"datum": _day(ook.signed_on)}
    )


def _hours_item(pok: Praktijkovereenkomst | None) -> ReadinessItem:
    label = _("Uren in de praktijk (BBL)")
    if pok is None:
        return ReadinessItem(
            "bbl_uren",
            label,
            False,
            _("De uren staan in de praktijkovereenkomst, die nog niet is vastgelegd."),
        )
    per_year = int(bbl_hours_per_year(pok=pok))
    facts = {"uren": per_year, "minimum": BBL_MIN_PRACTICE_HOURS_PER_YEAR}
    if bbl_hours_shortfall(pok=pok):
        return ReadinessItem(
            "bbl_uren",
            label,
            False,
            _(
                "De praktijkovereenkomst plant %(uren)d uur per jaar bij het leerbedrijf; BBL "
                "vraagt ten minste %(minimum)d (WEB art. 7.2.7)."
            )
            % facts,
        )
    return ReadinessItem(
        "bbl_uren",
        label,
        True,
        _("%(uren)d uur per jaar bij het leerbedrijf, ten minste %(minimum)d.") % facts,
    )
