"""Writes on the opleidingsaanbod: the places taken on a start moment (kept by ``trajecten``
when a school accepts or an enrolment stops) and the school's own offer (its aanbod and start
moments), scoped to the school's own mbo-instelling.

Every write locks its row, refuses what may not happen with ``TransitionRefused`` (a Dutch
message; ``code`` ``"role"`` for another organisation's offer, ``"rule"`` otherwise) and logs
without personal data.
"""

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from opleidingen.models import (
    Kwalificatie,
    MboInstelling,
    MboLocatie,
    Opleidingsaanbod,
    StartMoment,
)
from praktijkleren.accounts.selectors import organisation_of
from praktijkleren.workflow import TransitionRefused, atomic_service

logger = logging.getLogger(__name__)


def startmoment_lock(*, startmoment: StartMoment) -> StartMoment:
    """``startmoment`` re-read with its row locked (``SELECT ... FOR UPDATE``) for the rest of
    the caller's transaction, with its aanbod, instelling and kwalificatie."""
    return (
        StartMoment.objects.select_for_update(of=("self",))
        .select_related("aanbod__instelling", "aanbod__kwalificatie")
        .get(pk=startmoment.pk)
    )


@atomic_service
def startmoment_place_take(*, startmoment: StartMoment) -> StartMoment:
    """Take one place of ``startmoment`` (an enrolment accepted on it), under its row lock.

    Raises ``TransitionRefused`` (code ``"rule"``) when no place is left; the database refuses
    more places taken than ``capacity`` all the same. Returns the locked, updated start moment.
    """
    startmoment = startmoment_lock(startmoment=startmoment)
    if startmoment.places_taken >= startmoment.capacity:
        raise TransitionRefused(
            _("Het startmoment van %(datum)s is vol: alle %(capacity)d plaatsen zijn bezet.")
            % {
                "datum": date_format(startmoment.start_date, "j F Y"),
                "capacity": startmoment.capacity,
            },
            code="rule",
        )
    startmoment.places_taken += 1
    startmoment.save(update_fields=["places_taken"])
    logger.info("Start moment %s: place taken (%s)", startmoment.pk, startmoment.places_taken)
    return startmoment


@atomic_service
def startmoment_place_release(*, startmoment: StartMoment) -> StartMoment:
    """Give back one place of ``startmoment`` (an accepted or started enrolment on it stopped),
    under its row lock; never below 0. Returns the locked, updated start moment."""
    startmoment = startmoment_lock(startmoment=startmoment)
    if startmoment.places_taken > 0:
        startmoment.places_taken -= 1
        startmoment.save(update_fields=["places_taken"])
    logger.info("Start moment %s: place released (%s)", startmoment.pk, startmoment.places_taken)
    return startmoment


# --- the school's own offer ---------------------------------------------------------------


def instelling_of(user: Any) -> MboInstelling | None:
    """The mbo-instelling ``user`` acts for (``MboInstelling.organisation``), or None."""
    organisation = organisation_of(user)
    if organisation is None:
        return None
    return MboInstelling.objects.filter(organisation=organisation).first()


def _own_instelling(by: Any, instelling_id: int | None = None) -> MboInstelling:
    instelling = instelling_of(by)
    if instelling is None or (instelling_id is not None and instelling.pk != instelling_id):
        raise TransitionRefused(
            _("Alleen de mbo-instelling zelf beheert haar opleidingsaanbod."), code="role"
        )
    return instelling


def _check_fit(kwalificatie: Kwalificatie, leerweg: str) -> None:
    if not kwalificatie.is_current:
        raise TransitionRefused({"kwalificatie": _("Kies een actuele kwalificatie.")}, code="rule")
    if leerweg not in kwalificatie.leerwegen():
        raise TransitionRefused(
            {
                "leerweg": _("%(kwalificatie)s kent de leerweg %(leerweg)s niet.")
                % {"kwalificatie": kwalificatie.choice_label(), "leerweg": leerweg}
            },
            code="rule",
        )


@atomic_service
def aanbod_save(
    *,
    by: Any,
    kwalificatie: Kwalificatie,
    leerweg: str,
    locaties: Iterable[MboLocatie],
    aanbod: Opleidingsaanbod | None = None,
) -> Opleidingsaanbod:
    """Create (``aanbod`` None) or change an opleidingsaanbod of the school ``by`` acts for: a
    current ``kwalificatie`` in a ``leerweg`` it has (BBL or BOL), at ``locaties`` of the
    school's own instelling. An aanbod made here is not demo (``is_demo=False``).

    Raises ``TransitionRefused``: code ``"role"`` for a user of another organisation (or of no
    mbo-instelling); ``"rule"`` with a message per field (``kwalificatie``, ``leerweg``,
    ``locaties``) for a kwalificatie that is not current or lacks the leerweg, a location of
    another instelling, an offer the school already has, or a change of kwalificatie or
    leerweg while places of its start moments are taken. Returns the saved aanbod."""
    locaties = list(locaties)
    if aanbod is None:
        instelling = _own_instelling(by)
        aanbod = Opleidingsaanbod(instelling=instelling)
    else:
        aanbod = Opleidingsaanbod.objects.select_for_update().get(pk=aanbod.pk)
        _own_instelling(by, aanbod.instelling_id)
        changed = (aanbod.kwalificatie_id, aanbod.leerweg) != (kwalificatie.pk, leerweg)
        if changed and aanbod.startmomenten.filter(places_taken__gt=0).exists():
            raise TransitionRefused(
                {
                    "kwalificatie": _(
                        "Op startmomenten van dit aanbod zijn plaatsen bezet: de kwalificatie "
                        "en de leerweg blijven zoals ze zijn."
                    )
                },
                code="rule",
            )
    _check_fit(kwalificatie, leerweg)
    aanbod.kwalificatie, aanbod.leerweg, aanbod.is_demo = kwalificatie, leerweg, False
    try:
        aanbod.check_locaties(locaties)
    except ValidationError as exc:
        raise TransitionRefused(exc.message_dict, code="rule") from exc
    duplicate = Opleidingsaanbod.objects.filter(
        instelling_id=aanbod.instelling_id, kwalificatie=kwalificatie, leerweg=leerweg
    ).exclude(pk=aanbod.pk)
    if duplicate.exists():
        raise TransitionRefused(
            {"kwalificatie": _("Dit aanbod (kwalificatie en leerweg) heeft de school al.")},
            code="rule",
        )
    aanbod.save()
    aanbod.locaties.set(locaties)
    logger.info("Opleidingsaanbod %s saved (instelling %s)", aanbod.pk, aanbod.instelling_id)
    return aanbod


@atomic_service
def startmoment_save(
    *,
    by: Any,
    start_date: dt.date,
    capacity: int,
    aanbod: Opleidingsaanbod | None = None,
    startmoment: StartMoment | None = None,
) -> StartMoment:
    """Add a start moment to ``aanbod`` (``startmoment`` None) or change ``startmoment``: its
    ``start_date`` and ``capacity`` (places, at least 1 and never below the places taken), for
    the school ``by`` acts for. Raises ``TransitionRefused``: ``"role"`` for another
    organisation's aanbod; ``"rule"`` with a message on ``capacity`` or ``start_date`` for a
    capacity below the places taken (or below 1), or a date the aanbod already has a start
    moment on. Returns the saved start moment."""
    if startmoment is None:
        assert aanbod is not None
        startmoment = StartMoment(aanbod=aanbod)
        _own_instelling(by, aanbod.instelling_id)
    else:
        startmoment = startmoment_lock(startmoment=startmoment)
        _own_instelling(by, startmoment.aanbod.instelling_id)
    if capacity < max(1, startmoment.places_taken):
        raise TransitionRefused(
            {
                "capacity": _(
                    "Er zijn al %(taken)d plaatsen bezet: het aantal plaatsen is ten minste "
                    "%(taken)d."
                )
                % {"taken": startmoment.places_taken}
                if startmoment.places_taken
                else _("Een startmoment heeft ten minste 1 plaats.")
            },
            code="rule",
        )
    if startmoment.places_taken and start_date != startmoment.start_date:
        raise TransitionRefused(
            {
                "start_date": _(
                    "Op dit startmoment zijn plaatsen bezet: de datum blijft zoals hij is."
                )
            },
            code="rule",
        )
    startmoment.start_date, startmoment.capacity = start_date, capacity
    try:
        with transaction.atomic():
            startmoment.save()
    except IntegrityError as exc:
        raise TransitionRefused(
            {"start_date": _("Dit aanbod heeft al een startmoment op deze datum.")}, code="rule"
        ) from exc
    logger.info("Start moment %s saved (aanbod %s)", startmoment.pk, startmoment.aanbod_id)
    return startmoment


@atomic_service
def startmoment_delete(*, by: Any, startmoment: StartMoment) -> None:
    """Delete ``startmoment`` of the school ``by`` acts for. Raises ``TransitionRefused``:
    ``"role"`` for another organisation's; ``"rule"`` while places on it are taken or an
    enrolment request proposes it."""
    startmoment = startmoment_lock(startmoment=startmoment)
    _own_instelling(by, startmoment.aanbod.instelling_id)
    if startmoment.places_taken:
        raise TransitionRefused(
            _("Op dit startmoment zijn plaatsen bezet: het blijft bestaan."), code="rule"
        )
    try:
        with transaction.atomic():
            startmoment.delete()
    except ProtectedError as exc:
        raise TransitionRefused(
            _("Een inschrijving noemt dit startmoment: het blijft bestaan."), code="rule"
        ) from exc
    logger.info("Start moment deleted (aanbod %s)", startmoment.aanbod_id)
