"""Scheduled jobs of trajecten. Thin: each calls a service."""

from celery import shared_task

from trajecten.privacy import candidates_anonymise_expired
from trajecten.progress import checkins_signal
from trajecten.services import erkenningen_announce


@shared_task(name="trajecten.erkenningen_announce", ignore_result=True)
def erkenningen_announce_task() -> int:
    """Announce erkenningen that end within 90 days or ended while others depend on them
    (``erkenningen_announce``); beat runs it daily at 06:30. Returns how many."""
    return erkenningen_announce()


@shared_task(name="trajecten.checkins_signal", ignore_result=True)
def checkins_signal_task() -> int:
    """Tell consultants once of check-ins that flag a problem or were missed
    (``trajecten.progress.checkins_signal``); beat runs it daily at 07:15. Returns how many."""
    return checkins_signal()


@shared_task(
    name="trajecten.candidates_anonymise_expired",
    ignore_result=True,
    soft_time_limit=1800,
    time_limit=1900,
)
def candidates_anonymise_expired_task() -> dict[str, int]:
    """Anonymise the candidates whose retention term expired
    (``trajecten.privacy.candidates_anonymise_expired``), in batches, each committed on its own:
    a run cut short by its time limit (30 minutes, far above the global one) leaves the rest to
    the next. Beat runs it nightly at 02:30. Returns the counts."""
    return candidates_anonymise_expired()
