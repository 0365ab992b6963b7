"""Celery tasks of the notification layer. Thin: each receives ids or nothing and calls a
service."""

from celery import shared_task

from praktijkleren.notifications.delivery import outbox_deliver, outbox_dispatch_due
from praktijkleren.notifications.digest import digests_send


@shared_task(name="notifications.deliver", ignore_result=True)
def deliver(message_id: int) -> bool:
    """Deliver outbox row ``message_id`` (an int, never a model) once: ``outbox_deliver``.
    Returns True when this run sent it. Retries are not Celery's: a failure gives the row a
    later ``next_attempt_at`` and ``dispatch_due`` hands it out again then."""
    return outbox_deliver(message_id=message_id)


@shared_task(name="notifications.dispatch_due", ignore_result=True)
def dispatch_due() -> int:
    """Hand every due outbox row to the workers (``outbox_dispatch_due``): retries whose time
    came, rows the broker never got, claims of dead workers. Beat runs it every 15 s. Returns
    how many."""
    return outbox_dispatch_due()


@shared_task(name="notifications.digests_send", ignore_result=True)
def digests_send_task() -> int:
    """Send the daily digests (``digests_send``); beat runs it at 07:00 Europe/Amsterdam.
    Returns how many digests were queued."""
    return digests_send()
