"""Writes on leerbanen: the leerbaan's workflow (concept → gepubliceerd → vervuld / gesloten /
verlopen, ``Leerbaan``) and its places.

Each transition is one service: it locks the leerbaan row, lets ``transition_apply`` check the
state, the rules and the user's role and write the log row. Callers own the transaction when
they combine several (``candidates`` ends the voordrachten of a leerbaan that closes).
"""

import datetime as dt
from typing import Any

from django.db import transaction

from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.models import Leerbaan
from leerbedrijven.notify import leerbaan_notify
from leerbedrijven.selectors import closing_today
from praktijkleren.workflow import transition_apply


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
