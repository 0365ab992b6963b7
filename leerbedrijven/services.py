"""Writes on leerbedrijven: the leerbaan's workflow (concept → gepubliceerd → vervuld / gesloten /
verlopen, ``Leerbaan``) and its places; the leerbedrijf's profile with its vestigingen, contact
persons and praktijkopleiders.

Each transition is one service: it locks the leerbaan row, lets ``transition_apply`` check the
state, the rules and the user's role and write the log row. Callers own the transaction when
they combine several (``candidates`` ends the voordrachten of a leerbaan that closes).
"""

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from leerbedrijven.constants import MAX_HOURS_PER_WEEK, MIN_HOURS_PER_WEEK, LeerbaanStatus
from leerbedrijven.models import (
    ContactPerson,
    Erkenning,
    Leerbaan,
    Leerbedrijf,
    Praktijkopleider,
    Vestiging,
)
from leerbedrijven.notify import leerbaan_notify
from leerbedrijven.selectors import (
    closing_today,
    erkenning_valid_on,
    kwalificaties_erkend_from,
    leerbaan_has_voordrachten,
)
from leerbedrijven.upload import FIELD_COLUMNS, Lookups, csv_rows, row_read
from opleidingen.constants import Leerweg
from opleidingen.selectors import werkprocessen_of
from praktijkleren.accounts.constants import OrganisationKind
from praktijkleren.accounts.selectors import organisation_of
from praktijkleren.importing import RowError, RowErrors
from praktijkleren.notifications.services import absolute_url
from praktijkleren.workflow import log_write, transition_apply

logger = logging.getLogger(__name__)


def leerbaan_lock(*, leerbaan: Leerbaan) -> Leerbaan:
    """``leerbaan`` re-read with its row locked (``SELECT ... FOR UPDATE``) for the rest of the
    caller's transaction, with its leerbedrijf. Must run inside ``transaction.atomic``."""
    return (
        Leerbaan.objects.select_for_update(of=("self",))
        .select_related("leerbedrijf")
        .get(pk=leerbaan.pk)
    )


def leerbaan_publish(*, leerbaan: Leerbaan, by: Any) -> Leerbaan:
    """concept → gepubliceerd, by a user of the leerbedrijf's werkgever organisation.

    Raises ``TransitionRefused`` when the leerbaan is not a concept, its closing date has passed,
    its leerbedrijf is not erkend (BBL) for its kwalificatie on the start date, or ``by`` is not
    the werkgever. Returns the updated leerbaan.
    """
    with transaction.atomic():
        leerbaan = leerbaan_lock(leerbaan=leerbaan)
        log = transition_apply(leerbaan, "publish", by=by)
        leerbaan_notify(leerbaan=leerbaan, type="leerbaan.published", version=log.pk, actor=log.by)
    return leerbaan


def leerbaan_close(*, leerbaan: Leerbaan, by: Any, reason: str = "") -> Leerbaan:
    """concept, gepubliceerd or verlopen → gesloten, by the werkgever, with an optional
    ``reason`` (free text, kept in the log). Only the leerbaan: use
    ``candidates.services.leerbaan_close_with_voordrachten`` to end its open voordrachten in
    the same transaction. Raises ``TransitionRefused``."""
    with transaction.atomic():
        leerbaan = leerbaan_lock(leerbaan=leerbaan)
        transition_apply(leerbaan, "close", by=by, reason=reason)
    return leerbaan


def leerbaan_expire(*, leerbaan: Leerbaan) -> Leerbaan:
    """gepubliceerd → verlopen by the system, once the end of the closing date (Europe/Amsterdam)
    has passed. Raises ``TransitionRefused`` before that or in another state."""
    with transaction.atomic():
        leerbaan = leerbaan_lock(leerbaan=leerbaan)
        transition_apply(leerbaan, "expire", by=None)
    return leerbaan


def leerbaan_fill(*, leerbaan: Leerbaan, by: Any = None) -> Leerbaan:
    """gepubliceerd or verlopen → vervuld when every place is taken: by the system (``by``
    None, the scheduled job), or as the follow-up of the acceptance by user ``by``. Raises
    ``TransitionRefused`` while places are left."""
    with transaction.atomic():
        leerbaan = leerbaan_lock(leerbaan=leerbaan)
        transition_apply(leerbaan, "fill", by=by, follow_up=by is not None)
    return leerbaan


def leerbaan_place_take(*, leerbaan: Leerbaan, by: Any) -> Leerbaan:
    """Take one place of ``leerbaan`` for a candidate that ``by`` accepted; when that was the
    last place the leerbaan becomes vervuld (``leerbaan_fill``), in the caller's transaction.

    The caller has checked ``leerbaan.takes_placements()`` on the locked row; the database
    refuses more places taken than ``places`` all the same. Returns the locked, updated leerbaan.
    """
    with transaction.atomic():
        leerbaan = leerbaan_lock(leerbaan=leerbaan)
        leerbaan.places_taken += 1
        leerbaan.save(update_fields=["places_taken"])
        if leerbaan.places_left == 0:
            transition_apply(leerbaan, "fill", by=by, follow_up=True)
    return leerbaan


# Reminders before a leerbaan closes, in days, and their events.
CLOSING_REMINDERS = {7: "leerbaan.closing_in_7_days", 1: "leerbaan.closing_in_1_day"}


def leerbaan_reminders_send(*, today: dt.date | None = None) -> int:
    """Tell the werkgever of every published leerbaan that closes in 7 days or tomorrow
    (``today`` defaults to the date in Europe/Amsterdam). Each reminder's version is the closing
    date, so a second run the same day writes nothing and an extended leerbaan is reminded again.
    One transaction per leerbaan; returns how many leerbanen were due, reminded now or by an
    earlier run."""
    today = today or closing_today()
    sent = 0
    for days, event in CLOSING_REMINDERS.items():
        due = Leerbaan.objects.filter(
            status=LeerbaanStatus.GEPUBLICEERD, closing_date=today + dt.timedelta(days=days)
        ).select_related("leerbedrijf__organisation", "kwalificatie")
        for leerbaan in due:
            with transaction.atomic():
                leerbaan_notify(
                    leerbaan=leerbaan,
                    type=event,
                    version=leerbaan.closing_date.toordinal(),
                    facts=leerbaan_action_links(leerbaan),
                    path=leerbaan_extend_path(leerbaan),
                )
            sent += 1
    return sent


# --- the leerbedrijf's profile ---------------------------------------------------------------
#
# Plain writes, no workflow: each checks that ``by`` acts for the werkgever organisation that
# owns the leerbedrijf (``PermissionDenied`` otherwise; the views have scoped already), runs the
# model's validation (``ValidationError`` with Dutch messages) and saves.


def _owner_check(leerbedrijf: Leerbedrijf, by: Any) -> None:
    organisation = organisation_of(by)
    if (
        organisation is None
        or organisation.kind != OrganisationKind.WERKGEVER
        or organisation.pk != leerbedrijf.organisation_id
    ):
        raise PermissionDenied


def _fields_set(instance: Any, data: dict[str, Any]) -> None:
    for name, value in data.items():
        setattr(instance, name, value)


def leerbedrijf_update(*, leerbedrijf: Leerbedrijf, by: Any, data: dict[str, Any]) -> Leerbedrijf:
    """Change the profile of ``leerbedrijf``: ``data`` holds ``naam``, ``kvk_nummer`` (8
    digits), ``sbb_leerbedrijf_id`` (9 digits or empty) and ``website`` (a URL or empty).
    Raises ``PermissionDenied`` or ``ValidationError``."""
    _owner_check(leerbedrijf, by)
    allowed = {"naam", "kvk_nummer", "sbb_leerbedrijf_id", "website"}
    _fields_set(leerbedrijf, {k: v for k, v in data.items() if k in allowed})
    leerbedrijf.full_clean()
    leerbedrijf.save()
    logger.info("Leerbedrijf %s changed by organisation %s", leerbedrijf.pk, by.organisation_id)
    return leerbedrijf


_VESTIGING_FIELDS = {"naam", "vestigingsnummer", "straat", "postcode", "postcode_letters", "plaats"}


def vestiging_create(*, leerbedrijf: Leerbedrijf, by: Any, data: dict[str, Any]) -> Vestiging:
    """A new vestiging of ``leerbedrijf``: ``data`` holds ``naam``, ``vestigingsnummer`` (12
    digits, unique), ``straat`` (street and number), ``postcode`` (the PC4 ``Postcode``),
    ``postcode_letters`` (two capitals) and ``plaats``. Raises ``PermissionDenied`` or
    ``ValidationError``."""
    _owner_check(leerbedrijf, by)
    vestiging = Vestiging(leerbedrijf=leerbedrijf)
    return _vestiging_save(vestiging, data)


def vestiging_update(*, vestiging: Vestiging, by: Any, data: dict[str, Any]) -> Vestiging:
    """Change ``vestiging`` (``data`` as for ``vestiging_create``)."""
    _owner_check(vestiging.leerbedrijf, by)
    return _vestiging_save(vestiging, data)


def _vestiging_save(vestiging: Vestiging, data: dict[str, Any]) -> Vestiging:
    _fields_set(vestiging, {k: v for k, v in data.items() if k in _VESTIGING_FIELDS})
    vestiging.full_clean()
    vestiging.save()
    return vestiging


_CONTACT_FIELDS = {"naam", "functie", "email", "telefoon"}


def contactperson_create(
    *, leerbedrijf: Leerbedrijf, by: Any, data: dict[str, Any]
) -> ContactPerson:
    """A new contact person of ``leerbedrijf``: ``data`` holds ``naam``, ``functie``,
    ``email`` and ``telefoon`` (E.164, ``+31...``, or empty). Raises ``PermissionDenied`` or
    ``ValidationError``."""
    _owner_check(leerbedrijf, by)
    return _contactperson_save(ContactPerson(leerbedrijf=leerbedrijf), data)


def contactperson_update(
    *, contactperson: ContactPerson, by: Any, data: dict[str, Any]
) -> ContactPerson:
    """Change ``contactperson`` (``data`` as for ``contactperson_create``)."""
    _owner_check(contactperson.leerbedrijf, by)
    return _contactperson_save(contactperson, data)


def _contactperson_save(contactperson: ContactPerson, data: dict[str, Any]) -> ContactPerson:
    _fields_set(contactperson, {k: v for k, v in data.items() if k in _CONTACT_FIELDS})
    contactperson.full_clean()
    contactperson.save()
    return contactperson


def contactperson_delete(*, contactperson: ContactPerson, by: Any) -> None:
    """Remove ``contactperson``. Raises ``PermissionDenied``."""
    _owner_check(contactperson.leerbedrijf, by)
    contactperson.delete()


_PRAKTIJKOPLEIDER_FIELDS = {"naam", "email", "telefoon", "vestiging", "capacity"}


def praktijkopleider_create(
    *, leerbedrijf: Leerbedrijf, by: Any, data: dict[str, Any]
) -> Praktijkopleider:
    """A new (active) praktijkopleider of ``leerbedrijf``: ``data`` holds ``naam``,
    ``email``, ``telefoon`` (E.164 or empty), ``vestiging`` (one of the leerbedrijf's),
    ``kwalificaties`` (an iterable of kwalificaties the leerbedrijf is erkend for in BBL, valid
    today or later; ``selectors.kwalificaties_erkend_from``) and ``capacity`` (how many
    candidates at once, at least 1). Raises ``PermissionDenied`` or ``ValidationError``."""
    _owner_check(leerbedrijf, by)
    return _praktijkopleider_save(Praktijkopleider(leerbedrijf=leerbedrijf), data)


def praktijkopleider_update(
    *, praktijkopleider: Praktijkopleider, by: Any, data: dict[str, Any]
) -> Praktijkopleider:
    """Change ``praktijkopleider`` (``data`` as for ``praktijkopleider_create``). The row is
    locked while it changes, so that a placement that checks the capacity waits for it."""
    _owner_check(praktijkopleider.leerbedrijf, by)
    with transaction.atomic():
        locked = praktijkopleider_lock(praktijkopleider=praktijkopleider)
        return _praktijkopleider_save(locked, data)


def _praktijkopleider_save(
    praktijkopleider: Praktijkopleider, data: dict[str, Any]
) -> Praktijkopleider:
    kwalificaties = list(data.get("kwalificaties") or [])
    if not kwalificaties:
        raise ValidationError(
            {
                "kwalificaties": _(
                    "Kies ten minste één kwalificatie die deze praktijkopleider begeleidt."
                )
            }
        )
    erkend = set(
        kwalificaties_erkend_from(leerbedrijf=praktijkopleider.leerbedrijf).values_list(
            "pk", flat=True
        )
    )
    if any(k.pk not in erkend for k in kwalificaties):
        raise ValidationError(
            {
                "kwalificaties": _(
                    "Kies alleen kwalificaties waarvoor het leerbedrijf nu of later erkend is "
                    "(BBL)."
                )
            }
        )
    _fields_set(praktijkopleider, {k: v for k, v in data.items() if k in _PRAKTIJKOPLEIDER_FIELDS})
    praktijkopleider.full_clean()
    with transaction.atomic():
        praktijkopleider.save()
        praktijkopleider.kwalificaties.set(kwalificaties)
    return praktijkopleider


def praktijkopleider_active_set(
    *, praktijkopleider: Praktijkopleider, by: Any, active: bool
) -> Praktijkopleider:
    """Deactivate (``active`` False) or activate ``praktijkopleider``. An inactive one keeps
    the candidates they supervise now, but no new candidate is placed on a leerbaan that names
    them. Raises ``PermissionDenied``."""
    _owner_check(praktijkopleider.leerbedrijf, by)
    with transaction.atomic():
        locked = praktijkopleider_lock(praktijkopleider=praktijkopleider)
        locked.is_active = active
        locked.save(update_fields=["is_active"])
    return locked


def praktijkopleider_lock(*, praktijkopleider: Praktijkopleider) -> Praktijkopleider:
    """``praktijkopleider`` re-read with its row locked (``SELECT ... FOR UPDATE``) for the rest
    of the caller's transaction, with its leerbedrijf. Must run inside ``transaction.atomic``.
    A placement locks it after the candidate, the leerbaan and the voordracht, so that two
    placements at once cannot both take its last place."""
    return (
        Praktijkopleider.objects.select_for_update(of=("self",))
        .select_related("leerbedrijf")
        .get(pk=praktijkopleider.pk)
    )


def leerbaan_extend_path(leerbaan: Leerbaan) -> str:
    """The path of the page where the werkgever extends ``leerbaan``."""
    return reverse(
        "candidates:leerbaan_transition", kwargs={"pk": leerbaan.pk, "transition": "extend"}
    )


def leerbaan_action_links(leerbaan: Leerbaan) -> dict[str, str]:
    """Absolute URLs a reminder links to: ``verlengen_url`` (extend) and ``sluiten_url``
    (close) of ``leerbaan``."""
    close = reverse(
        "candidates:leerbaan_transition", kwargs={"pk": leerbaan.pk, "transition": "close"}
    )
    return {
        "verlengen_url": absolute_url(leerbaan_extend_path(leerbaan)),
        "sluiten_url": absolute_url(close),
    }


# --- posting and editing a leerbaan ----------------------------------------------------------

# The fields a werkgever gives a leerbaan (``leerbaan_create`` / ``leerbaan_update``).
LEERBAAN_FIELDS = (
    "titel",
    "omschrijving",
    "vestiging",
    "kwalificatie",
    "werkprocessen",
    "supports_praktijkverklaring",
    "supports_certificaat",
    "supports_diploma",
    "hours_per_week",
    "places",
    "start_date",
    "closing_date",
    "praktijkopleider",
    "external_ref",
)
ROUTE_FIELDS = ("supports_praktijkverklaring", "supports_certificaat", "supports_diploma")
# Statuses in which the werkgever may still edit a leerbaan (a verlopen one is extended first).
EDITABLE_STATUSES = (LeerbaanStatus.CONCEPT, LeerbaanStatus.GEPUBLICEERD)
# Once voordrachten exist, the start date may move at most this many days either way.
START_DATE_SHIFT_DAYS = 14


def _day(value: dt.date) -> str:
    return date_format(value, "j F Y")


def _not_erkend_message(*, leerbedrijf: Leerbedrijf, kwalificatie: Any, start_date: dt.date) -> str:
    """Why ``leerbedrijf`` may not offer ``kwalificatie`` on ``start_date``, naming the end or
    the start of the nearest erkenning it holds for it."""
    base = _("Uw leerbedrijf is op %(start)s niet erkend voor %(kwalificatie)s") % {
        "start": _day(start_date),
        "kwalificatie": f"{kwalificatie.naam} ({kwalificatie.crebo})",
    }
    erkenningen = Erkenning.objects.filter(
        leerbedrijf=leerbedrijf, kwalificatie=kwalificatie, leerweg=Leerweg.BBL
    )
    ended = erkenningen.filter(geldig_tot__lt=start_date).order_by("-geldig_tot").first()
    later = erkenningen.filter(geldig_van__gt=start_date).order_by("geldig_van").first()
    if ended is not None and ended.geldig_tot is not None:
        return base + _("; de erkenning loopt tot %(tot)s.") % {"tot": _day(ended.geldig_tot)}
    if later is not None:
        return base + _("; de erkenning gaat in op %(van)s.") % {"van": _day(later.geldig_van)}
    return base + "."


def _may_change(leerbedrijf: Leerbedrijf, by: Any) -> None:
    """Refuse (``PermissionDenied``) anyone but a user of ``leerbedrijf``'s werkgever
    organisation; ``by`` None is the system (the admin's validation, the demo)."""
    if by is None:
        return
    organisation = organisation_of(by)
    if organisation is None or organisation.pk != leerbedrijf.organisation_id:
        raise PermissionDenied(_("Alleen de werkgever van dit leerbedrijf wijzigt zijn leerbanen."))


def leerbaan_validate(
    *,
    leerbedrijf: Leerbedrijf,
    fields: dict[str, Any],
    leerbaan: Leerbaan | None = None,
    publishing: bool = False,
    has_voordrachten: bool | None = None,
) -> None:
    """Refuse ``fields`` (``LEERBAAN_FIELDS``: model instances for the foreign keys, an iterable
    of werkprocessen) for a leerbaan of ``leerbedrijf``: a new one (``leerbaan`` None) or the
    new state of ``leerbaan``. Raises ``ValidationError`` with a dict of Dutch messages per
    field (``routes`` for the three route flags); returns None when all is well.

    Always: the vestiging is the leerbedrijf's; the leerbedrijf holds a BBL erkenning for the
    kwalificatie valid on the start date (not just today); the werkprocessen are the
    kwalificatie's; at least one route; 12–40 hours a week; at least one place and never fewer
    than the places taken; the closing date on or before the start date; the praktijkopleider
    (required for a new leerbaan) is the leerbedrijf's, active and may supervise the
    kwalificatie; the external reference unique within the leerbedrijf. ``publishing`` (or a
    new closing date on a published leerbaan): the closing date not in the past. Once a
    voordracht exists (``has_voordrachten``, default: asked of the app that keeps them), the
    edit rules of ``docs/architecture.md``, 'Editing a leerbaan'.
    """
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    vestiging = fields.get("vestiging")
    kwalificatie = fields.get("kwalificatie")
    start_date = fields.get("start_date")
    closing_date = fields.get("closing_date")
    werkprocessen = list(fields.get("werkprocessen") or [])
    praktijkopleider = fields.get("praktijkopleider")
    if vestiging is None:
        refuse("vestiging", _("Kies een vestiging."))
    elif vestiging.leerbedrijf_id != leerbedrijf.pk:
        refuse("vestiging", _("Deze vestiging hoort niet bij het leerbedrijf."))
    if kwalificatie is None:
        refuse("kwalificatie", _("Kies een kwalificatie."))
    elif start_date is not None:
        if (
            erkenning_valid_on(
                leerbedrijf=leerbedrijf, kwalificatie=kwalificatie, on_date=start_date
            )
            is None
        ):
            refuse(
                "kwalificatie",
                _not_erkend_message(
                    leerbedrijf=leerbedrijf, kwalificatie=kwalificatie, start_date=start_date
                ),
            )
        allowed = set(werkprocessen_of(kwalificatie=kwalificatie).values_list("pk", flat=True))
        strangers = [w for w in werkprocessen if w.pk not in allowed]
        if strangers:
            refuse(
                "werkprocessen",
                _("Deze werkprocessen horen niet bij de kwalificatie: %(codes)s.")
                % {"codes": ", ".join(w.code for w in strangers)},
            )
    if not any(fields.get(name) for name in ROUTE_FIELDS):
        refuse("routes", _("Kies ten minste één route."))
    hours = fields.get("hours_per_week")
    if hours is None or not MIN_HOURS_PER_WEEK <= hours <= MAX_HOURS_PER_WEEK:
        refuse(
            "hours_per_week",
            _("Kies tussen %(min)d en %(max)d uur per week.")
            % {"min": MIN_HOURS_PER_WEEK, "max": MAX_HOURS_PER_WEEK},
        )
    places = fields.get("places")
    taken = leerbaan.places_taken if leerbaan is not None else 0
    if places is None or places < 1:
        refuse("places", _("Een leerbaan heeft ten minste één plaats."))
    elif places < taken:
        refuse(
            "places",
            _("Er zijn al %(taken)d plaatsen bezet: minder plaatsen kan niet.") % {"taken": taken},
        )
    if start_date is None:
        refuse("start_date", _("Vul de startdatum in."))
    if closing_date is None:
        refuse("closing_date", _("Vul de sluitingsdatum in."))
    elif start_date is not None and closing_date > start_date:
        refuse("closing_date", _("De sluitingsdatum moet op of vóór de startdatum liggen."))
    elif _closing_must_lie_ahead(leerbaan, closing_date, publishing) and (
        closing_date < closing_today()
    ):
        refuse("closing_date", _("De sluitingsdatum is al voorbij: kies vandaag of later."))
    if praktijkopleider is None:
        if leerbaan is None or leerbaan.praktijkopleider_id is not None:
            refuse(
                "praktijkopleider",
                _(
                    "Kies een praktijkopleider. Heeft uw leerbedrijf er nog geen, voeg dan eerst "
                    "een praktijkopleider toe op de pagina van uw leerbedrijf."
                ),
            )
    elif praktijkopleider.leerbedrijf_id != leerbedrijf.pk or not praktijkopleider.is_active:
        refuse("praktijkopleider", _("Kies een actieve praktijkopleider van dit leerbedrijf."))
    elif (
        kwalificatie is not None
        and not praktijkopleider.kwalificaties.filter(pk=kwalificatie.pk).exists()
    ):
        refuse(
            "praktijkopleider",
            _("%(naam)s begeleidt geen kandidaten voor deze kwalificatie.")
            % {"naam": praktijkopleider.naam},
        )
    external_ref = (fields.get("external_ref") or "").strip()
    if external_ref:
        clash = Leerbaan.objects.filter(leerbedrijf=leerbedrijf, external_ref=external_ref)
        if leerbaan is not None:
            clash = clash.exclude(pk=leerbaan.pk)
        if clash.exists():
            refuse("external_ref", _("Dit kenmerk heeft al een andere leerbaan van uw bedrijf."))
    if leerbaan is not None:
        if has_voordrachten is None:
            has_voordrachten = leerbaan_has_voordrachten(leerbaan=leerbaan)
        if has_voordrachten:
            _edit_rules(leerbaan, fields, refuse)
    if errors:
        raise ValidationError(errors)


def _closing_must_lie_ahead(
    leerbaan: Leerbaan | None, closing_date: dt.date, publishing: bool
) -> bool:
    if publishing:
        return True
    if leerbaan is None or leerbaan.status != LeerbaanStatus.GEPUBLICEERD:
        return False
    return closing_date != leerbaan.closing_date


def _edit_rules(leerbaan: Leerbaan, fields: dict[str, Any], refuse: Any) -> None:
    """What may no longer change once a voordracht was made (``docs/architecture.md``)."""
    because = _("er zijn al kandidaten voorgedragen")
    kwalificatie, vestiging = fields.get("kwalificatie"), fields.get("vestiging")
    if kwalificatie is not None and kwalificatie.pk != leerbaan.kwalificatie_id:
        refuse("kwalificatie", _("De kwalificatie kan niet meer veranderen: %s.") % because)
    if vestiging is not None and vestiging.pk != leerbaan.vestiging_id:
        refuse("vestiging", _("De vestiging kan niet meer veranderen: %s.") % because)
    start_date = fields.get("start_date")
    if start_date is not None and abs((start_date - leerbaan.start_date).days) > (
        START_DATE_SHIFT_DAYS
    ):
        refuse(
            "start_date",
            _("De startdatum mag nog maar %(dagen)d dagen verschuiven (nu %(start)s): %(why)s.")
            % {"dagen": START_DATE_SHIFT_DAYS, "start": _day(leerbaan.start_date), "why": because},
        )
    closing_date = fields.get("closing_date")
    if closing_date is not None and closing_date < leerbaan.closing_date:
        refuse(
            "closing_date",
            _("De sluitingsdatum mag alleen later worden (nu %(datum)s): %(why)s.")
            % {"datum": _day(leerbaan.closing_date), "why": because},
        )
    if any(getattr(leerbaan, name) and not fields.get(name) for name in ROUTE_FIELDS):
        refuse("routes", _("Routes kunnen er alleen bij komen, niet af: %s.") % because)
    hours = fields.get("hours_per_week")
    if hours is not None and hours < leerbaan.hours_per_week:
        refuse(
            "hours_per_week",
            _("Het aantal uren mag niet omlaag (nu %(uren)d): %(why)s.")
            % {"uren": leerbaan.hours_per_week, "why": because},
        )
    if "werkprocessen" in fields:
        kept = {w.pk for w in fields["werkprocessen"] or []}
        dropped = [w for w in leerbaan.werkprocessen.all() if w.pk not in kept]
        if dropped:
            refuse(
                "werkprocessen",
                _("Werkprocessen kunnen er alleen bij komen, niet af (%(codes)s): %(why)s.")
                % {"codes": ", ".join(w.code for w in dropped), "why": because},
            )


def _current_fields(leerbaan: Leerbaan) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: getattr(leerbaan, name) for name in LEERBAAN_FIELDS if name != "werkprocessen"
    }
    values["werkprocessen"] = list(leerbaan.werkprocessen.all())
    return values


def leerbaan_changes(*, leerbaan: Leerbaan, changes: dict[str, Any]) -> dict[str, Any]:
    """The entries of ``changes`` that differ from ``leerbaan`` now (werkprocessen compared as
    sets): empty when an update would change nothing."""
    current = _current_fields(leerbaan)
    different = {}
    for name, value in changes.items():
        if name == "werkprocessen":
            if {w.pk for w in value or []} != {w.pk for w in current["werkprocessen"]}:
                different[name] = value
        elif name in current and current[name] != value:
            different[name] = value
    return different


def leerbaan_create(
    *, leerbedrijf: Leerbedrijf, by: Any, publish: bool = False, **fields: Any
) -> Leerbaan:
    """Post a new leerbaan of ``leerbedrijf`` as concept, by ``by`` (a user of its werkgever
    organisation), from ``fields`` (``LEERBAAN_FIELDS``; ``werkprocessen`` an iterable of
    ``Werkproces``), and with ``publish`` publish it at once (``leerbaan_publish``), all in one
    transaction. Raises ``PermissionDenied`` for another organisation's user,
    ``ValidationError`` (per field, ``leerbaan_validate``) or ``TransitionRefused``; nothing is
    written then. Returns the leerbaan."""
    _may_change(leerbedrijf, by)
    unknown = set(fields) - set(LEERBAAN_FIELDS)
    if unknown:
        raise TypeError(f"Unknown leerbaan fields: {sorted(unknown)}")
    leerbaan_validate(leerbedrijf=leerbedrijf, fields=fields, publishing=publish)
    werkprocessen = list(fields.pop("werkprocessen", None) or [])
    fields["external_ref"] = (fields.get("external_ref") or "").strip()
    with transaction.atomic():
        leerbaan = Leerbaan(leerbedrijf=leerbedrijf, **fields)
        leerbaan.save()
        leerbaan.werkprocessen.set(werkprocessen)
        log_write(leerbaan, transition="create", from_state="", by=by)
        if publish:
            leerbaan = leerbaan_publish(leerbaan=leerbaan, by=by)
    return leerbaan


def leerbaan_update(*, leerbaan: Leerbaan, by: Any, **changes: Any) -> Leerbaan:
    """Edit ``leerbaan`` (concept or gepubliceerd) by ``by``, a user of its werkgever
    organisation: ``changes`` are ``LEERBAAN_FIELDS`` (others left as they are). Locks the
    row, refuses with ``ValidationError`` (per field) what ``leerbaan_validate`` refuses, with
    the stricter rules once voordrachten exist, and saves only what changed (django-auditlog
    records the change with its author). Raises ``PermissionDenied`` for another organisation's
    user. Returns the updated leerbaan."""
    unknown = set(changes) - set(LEERBAAN_FIELDS)
    if unknown:
        raise TypeError(f"Unknown leerbaan fields: {sorted(unknown)}")
    with transaction.atomic():
        leerbaan = leerbaan_lock(leerbaan=leerbaan)
        _may_change(leerbaan.leerbedrijf, by)
        if leerbaan.status not in EDITABLE_STATUSES:
            hint = _(" Verleng hem eerst.") if leerbaan.status == LeerbaanStatus.VERLOPEN else ""
            raise ValidationError(
                _("Een leerbaan met de status ‘%(status)s’ kunt u niet meer wijzigen.")
                % {"status": leerbaan.get_status_display()}
                + hint
            )
        fields = {**_current_fields(leerbaan), **changes}
        leerbaan_validate(leerbedrijf=leerbaan.leerbedrijf, fields=fields, leerbaan=leerbaan)
        different = leerbaan_changes(leerbaan=leerbaan, changes=changes)
        werkprocessen = different.pop("werkprocessen", None)
        if "external_ref" in different:
            different["external_ref"] = (different["external_ref"] or "").strip()
        for name, value in different.items():
            setattr(leerbaan, name, value)
        if different:
            leerbaan.save(update_fields=list(different))
        if werkprocessen is not None:
            leerbaan.werkprocessen.set(werkprocessen)
    return leerbaan


def leerbaan_extend(*, leerbaan: Leerbaan, by: Any, closing_date: dt.date) -> Leerbaan:
    """The werkgever moves the closing date of ``leerbaan`` (gepubliceerd or verlopen) later, to
    ``closing_date`` (a date in Europe/Amsterdam: open until the end of that day); a verlopen
    leerbaan is gepubliceerd again. The new date lies after the old one, is today or later and
    on or before the start date; the leerbaan has a place left and is still erkend on its start
    date (the workflow's rules). Logged as transition ``extend`` with both dates. Raises
    ``ValidationError`` (``closing_date``) or ``TransitionRefused``."""
    with transaction.atomic():
        leerbaan = leerbaan_lock(leerbaan=leerbaan)
        if closing_date <= leerbaan.closing_date:
            raise ValidationError(
                {
                    "closing_date": _("Kies een latere datum dan %(datum)s.")
                    % {"datum": _day(leerbaan.closing_date)}
                }
            )
        if closing_date < closing_today():
            raise ValidationError({"closing_date": _("Kies vandaag of een latere datum.")})
        if closing_date > leerbaan.start_date:
            raise ValidationError(
                {
                    "closing_date": _("Kies uiterlijk de startdatum, %(start)s.")
                    % {"start": _day(leerbaan.start_date)}
                }
            )
        reason = _("Sluitingsdatum van %(oud)s naar %(nieuw)s.") % {
            "oud": _day(leerbaan.closing_date),
            "nieuw": _day(closing_date),
        }
        transition_apply(leerbaan, "extend", by=by, reason=reason, closing_date=closing_date)
    return leerbaan


def werkprocessen_by_code(*, kwalificatie: Any, codes: Iterable[str]) -> dict[str, Any]:
    """The werkprocessen of ``kwalificatie`` with the given ``codes`` (``B1-K1-W1``), by code;
    unknown codes are left out."""
    wanted = {code.strip().upper() for code in codes if code.strip()}
    return {
        w.code.upper(): w
        for w in werkprocessen_of(kwalificatie=kwalificatie)
        if w.code.upper() in wanted
    }


# --- the bulk upload -------------------------------------------------------------------------


@dataclasses.dataclass
class UploadResult:
    """What one upload did: leerbanen ``created``, ``updated``, ``unchanged``, rows ``skipped``
    (bad ones, left out), the ``errors`` (``RowError``: line, column, Dutch reason) and whether
    anything was ``written`` (False: the whole file was refused)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = dataclasses.field(default_factory=list)
    written: bool = False


class _UploadRefused(Exception):
    """A row failed while writing an all-or-nothing upload: roll everything back."""


def _errors_from(exc: ValidationError, *, errors: RowErrors, name: str, line: int) -> None:
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            errors.add(name, line, message)
        return
    for field, messages in exc.message_dict.items():
        for message in messages:
            errors.add(name, line, message, column=FIELD_COLUMNS.get(field, ""))


def _upload_row_check(up: Any, leerbaan: Leerbaan | None, *, leerbedrijf: Leerbedrijf) -> None:
    """Refuse (``ValidationError``) a row that ``leerbaan_create`` or ``leerbaan_update``
    would refuse."""
    if leerbaan is None:
        leerbaan_validate(leerbedrijf=leerbedrijf, fields=up.fields, publishing=up.publish)
        return
    changes = leerbaan_changes(leerbaan=leerbaan, changes=up.fields)
    if not changes:
        return
    if leerbaan.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _(
                "De leerbaan met dit kenmerk heeft de status ‘%(status)s’ en kan niet meer "
                "veranderen."
            )
            % {"status": leerbaan.get_status_display()}
        )
    fields = {**_current_fields(leerbaan), **up.fields}
    publishing = up.publish and leerbaan.status == LeerbaanStatus.CONCEPT
    leerbaan_validate(
        leerbedrijf=leerbedrijf, fields=fields, leerbaan=leerbaan, publishing=publishing
    )


def _upload_row_write(
    up: Any, leerbaan: Leerbaan | None, *, leerbedrijf: Leerbedrijf, by: Any
) -> str:
    """Write one checked row; returns "created", "updated" or "unchanged"."""
    if leerbaan is None:
        leerbaan_create(leerbedrijf=leerbedrijf, by=by, publish=up.publish, **up.fields)
        return "created"
    changes = leerbaan_changes(leerbaan=leerbaan, changes=up.fields)
    outcome = "unchanged"
    if changes:
        leerbaan = leerbaan_update(leerbaan=leerbaan, by=by, **changes)
        outcome = "updated"
    if up.publish and leerbaan.status == LeerbaanStatus.CONCEPT:
        leerbaan_publish(leerbaan=leerbaan, by=by)
        outcome = "updated"
    return outcome


def leerbanen_upload(
    *, leerbedrijf: Leerbedrijf, by: Any, content: bytes, name: str, skip_invalid: bool = False
) -> UploadResult:
    """Create or update leerbanen of ``leerbedrijf`` from a CSV file (``content``, the bytes of
    the file called ``name``; columns in ``leerbedrijven.upload.COLUMNS``), for ``by``, a user
    of its werkgever organisation.

    Every row is read and checked first, with the rules of ``leerbaan_create`` (a new
    ``external_ref``) or of ``leerbaan_update`` (an ``external_ref`` the leerbedrijf already
    has: that leerbaan is updated, not duplicated; a row equal to it is unchanged). A bad row is
    reported with its line, column and a Dutch reason. With any bad row nothing is written,
    unless ``skip_invalid``: then the good rows are written and the bad ones skipped. One
    transaction. Raises ``PermissionDenied`` for another organisation's user.
    """
    _may_change(leerbedrijf, by)
    errors = RowErrors()
    result = UploadResult()
    rows = csv_rows(content, name=name, errors=errors)
    refs = [(row.get("external_ref") or "").strip() for _line, row in rows]
    existing = {
        lb.external_ref: lb
        for lb in Leerbaan.objects.filter(leerbedrijf=leerbedrijf, external_ref__in=refs)
    }
    lookups = Lookups(leerbedrijf)
    seen: dict[str, int] = {}
    plan = []
    for line, row in rows:
        up = row_read(row, line=line, name=name, lookups=lookups, errors=errors)
        if up is None:
            continue
        ref = up.fields["external_ref"]
        if ref in seen:
            errors.add(
                name,
                line,
                _("Dit kenmerk staat ook op regel %(regel)d.") % {"regel": seen[ref]},
                column="external_ref",
            )
            continue
        seen[ref] = line
        leerbaan = existing.get(ref)
        try:
            _upload_row_check(up, leerbaan, leerbedrijf=leerbedrijf)
        except ValidationError as exc:
            _errors_from(exc, errors=errors, name=name, line=line)
        else:
            plan.append((up, leerbaan))
    header_refused = any(error.line == 1 for error in errors)
    if header_refused or (len(errors) and not skip_invalid):
        result.errors = list(errors)
        result.skipped = len({e.line for e in errors if e.line != 1})
        return result
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    try:
        with transaction.atomic():
            for up, leerbaan in plan:
                try:
                    with transaction.atomic():
                        counts[_upload_row_write(up, leerbaan, leerbedrijf=leerbedrijf, by=by)] += 1
                except ValidationError as exc:
                    _errors_from(exc, errors=errors, name=name, line=up.line)
                    if not skip_invalid:
                        raise _UploadRefused from exc
    except _UploadRefused:
        result.errors = list(errors)
        result.skipped = len({e.line for e in errors})
        return result
    result.created, result.updated, result.unchanged = (
        counts["created"],
        counts["updated"],
        counts["unchanged"],
    )
    result.errors = list(errors)
    result.skipped = len({e.line for e in errors})
    result.written = True
    return result
