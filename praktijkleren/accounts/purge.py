"""Purges on accounts: django-axes' log-in attempt records past their retention."""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django.conf import settings
from django.db import models
from django.utils import timezone

PURGE_BATCH_SIZE = 1000


def _delete_in_batches(queryset: models.QuerySet, batch_size: int) -> int:
    """Delete the rows of ``queryset`` ``batch_size`` at a time (each batch its own short
    statement); returns how many rows of its model were deleted."""
    model = queryset.model
    deleted = 0
    while True:
        pks = list(queryset.values_list("pk", flat=True)[:batch_size])
        if not pks:
            return deleted
        _, per_model = model.objects.filter(pk__in=pks).delete()
        deleted += per_model.get(model._meta.label, 0)


def axes_records_purge(
    *, now: dt.datetime | None = None, batch_size: int = PURGE_BATCH_SIZE
) -> dict[str, int]:
    """Delete django-axes' records of log-in attempts (user name typed and IP address: personal
    data) older than ``settings.AXES_RECORDS_RETENTION_DAYS`` days before ``now`` (aware;
    default: the current time): failed-attempt counters (``AccessAttempt``, with their
    expirations), the failure log (``AccessFailureLog``) and the access log (``AccessLog``).

    A counter still within the lockout time (``AXES_COOLOFF_TIME``) is kept whatever the
    retention, so that purging never lifts a lockout. Deletes in batches of ``batch_size``; a
    second run deletes nothing. Returns the rows deleted per model name."""
    now = now or timezone.now()
    keep = max(dt.timedelta(days=settings.AXES_RECORDS_RETENTION_DAYS), settings.AXES_COOLOFF_TIME)
    cutoff = now - keep
    return {
        model.__name__: _delete_in_batches(
            model.objects.filter(attempt_time__lt=cutoff).order_by("pk"), batch_size
        )
        for model in (AccessAttempt, AccessFailureLog, AxesAccessLog)
    }
