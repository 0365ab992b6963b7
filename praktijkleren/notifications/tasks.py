"""Celery tasks of the outbox. Thin: each receives ids or numbers and calls a service."""

from celery import shared_task

from praktijkleren.notifications.constants import MAX_ATTEMPTS, STALE_AFTER_SECONDS
from praktijkleren.notifications.services import (
    OutboxDeliveryDeferred,
    outbox_deliver,
    outbox_requeue_stale,
)

# Retry delays: 30 s, 60 s, 120 s, 240 s ... capped at 10 minutes, each drawn uniformly between 0
# and that value (full jitter, Celery's ``retry_jitter``).
RETRY_BACKOFF_SECONDS = 30
RETRY_BACKOFF_MAX_SECONDS = 600


@shared_task(
    name="notifications.deliver",
    autoretry_for=(OutboxDeliveryDeferred,),
    max_retries=MAX_ATTEMPTS - 1,
    retry_backoff=RETRY_BACKOFF_SECONDS,
    retry_backoff_max=RETRY_BACKOFF_MAX_SECONDS,
    retry_jitter=True,
    ignore_result=True,
)
def deliver(message_id: int) -> bool:
    """Deliver the outbox message with primary key ``message_id`` (an int, never a model).

    Calls ``outbox_deliver``; returns True when this run sent the e-mail. Retried with
    exponential backoff and jitter, at most ``MAX_ATTEMPTS - 1`` times, only on
    ``OutboxDeliveryDeferred``: the service raises it for errors a retry can cure (SMTP 4xx
    replies, lost or refused connections, time-outs) and has then already put the message back
    to pending. The message's own ``attempts`` decides when it ends as failed.
    """
    return outbox_deliver(message_id=message_id)


@shared_task(name="notifications.requeue_stale", ignore_result=True)
def requeue_stale(older_than_seconds: int = STALE_AFTER_SECONDS) -> int:
    """Re-queue outbox messages stuck pending (or claimed by a dead worker) too long.

    Run by beat every 5 minutes (``CELERY_BEAT_SCHEDULE``); ``older_than_seconds`` defaults to
    ``STALE_AFTER_SECONDS`` (600). Returns the number of messages re-queued.
    """
    return outbox_requeue_stale(older_than_seconds=older_than_seconds)
