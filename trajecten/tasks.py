"""Scheduled jobs of trajecten. Thin: each calls a service."""

from celery import shared_task

from trajecten.services import erkenningen_announce


@shared_task(name="trajecten.erkenningen_announce", ignore_result=True)
def erkenningen_announce_task() -> int:
    """Announce erkenningen that end within 90 days or ended while others depend on them
    (``erkenningen_announce``); beat runs it daily at 06:30. Returns how many."""
    return erkenningen_announce()
