"""The transition logs of the demo region: a plausible history for every workflow object,
written in bulk (``praktijkleren.workflow.TransitionLogBase`` rows), never through the services.

Every object's history is a list of ``Step``: the first records its creation (``register``,
``make`` or ``request``, ``from_state`` empty), the others are the model's ``@transition``
method names, so the pages label them as the portal's own transitions do.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

from praktijkleren.accounts.models import Organisation, User

BATCH = 1000


@dataclass(frozen=True)
class Actor:
    """Who makes a transition: ``user`` (None where the organisation has no demo log-in)
    acting for ``organisation``."""

    user: User | None
    organisation: Organisation | None


@dataclass(frozen=True)
class Step:
    """One row of an object's history: ``transition`` (method name, or the creation's name)
    reaching state ``to_state`` at moment ``at`` (aware), made by ``actor``, with an optional
    ``reason_code`` and ``reason`` text."""

    transition: str
    to_state: str
    at: dt.datetime
    actor: Actor
    reason_code: str = ""
    reason: str = ""


def log_rows(log_model: type[models.Model], field: str, obj: Any, steps: list[Step]) -> list:
    """Unsaved ``log_model`` rows for ``obj`` (set on foreign key ``field``), one per step,
    each ``from_state`` the previous step's ``to_state`` (empty for the first)."""
    rows, previous = [], ""
    for step in steps:
        rows.append(
            log_model(
                **{field: obj},
                transition=step.transition,
                from_state=previous,
                to_state=step.to_state,
                by=step.actor.user,
                organisation=step.actor.organisation,
                reason_code=step.reason_code,
                reason=step.reason,
                at=step.at,
            )
        )
        previous = step.to_state
    return rows


def logs_create(
    log_model: type[models.Model], field: str, histories: Iterable[tuple[Any, list[Step]]]
) -> int:
    """Write the history of every saved object in ``histories`` ((object, steps) pairs) to
    ``log_model`` in bulk; returns the number of rows."""
    rows = [row for obj, steps in histories for row in log_rows(log_model, field, obj, steps)]
    log_model.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def stamps_save(model: type[models.Model], stamped: list[tuple[Any, dict[str, dt.datetime]]]):
    """Set timestamp fields (``created_at``, ``updated_at``: aware moments) of saved objects
    in bulk, after ``bulk_create`` filled them with the real clock: pages then show the same
    moments as the history. ``stamped`` holds (object, {field: moment}) pairs with the same
    fields each."""
    if not stamped:
        return
    for obj, values in stamped:
        for name, moment in values.items():
            setattr(obj, name, moment)
    fields = list(stamped[0][1])
    model.objects.bulk_update([obj for obj, _ in stamped], fields, batch_size=BATCH)
