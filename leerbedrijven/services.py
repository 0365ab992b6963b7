"""Writes on leerbedrijven: the leerbaan's workflow (concept → gepubliceerd → vervuld / gesloten /
verlopen, ``Leerbaan``) and its places; the leerbedrijf's profile with its vestigingen, contact
persons and praktijkopleiders.

Each transition is one service: it locks the leerbaan row, lets ``transition_apply`` check the
state, the rules and the user's role and write the log row. Callers own the transaction when
they combine several (``candidates`` ends the voordrachten of a leerbaan that closes).
"""

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.models import ContactPerson, Leerbaan, Leerbedrijf, Praktijkopleider, Vestiging
from leerbedrijven.notify import leerbaan_notify
from leerbedrijven.selectors import closing_today, kwalificaties_erkend_from
from praktijkleren.accounts.constants import OrganisationKind
from praktijkleren.accounts.selectors import organisation_of
from praktijkleren.workflow import transition_apply

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
                    leerbaan=leerbaan, type=event, version=leerbaan.closing_date.toordinal()
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
