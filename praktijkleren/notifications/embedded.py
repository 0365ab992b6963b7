"""The dispatcher of the embedded portal (``make run``: no broker, tasks in-process).

Without a broker there is no beat, so nothing would retry a failed delivery. This daemon thread
does what beat does there: every ``DISPATCH_EVERY_SECONDS`` it runs ``outbox_dispatch_due``,
which delivers the due rows in-process. It runs only in the process that serves requests under
``runserver`` (``RUN_MAIN``), never in management commands or tests.
"""

from __future__ import annotations

import logging
import os
import threading

from django.conf import settings
from django.db import close_old_connections, connections

from praktijkleren.notifications.constants import DISPATCH_EVERY_SECONDS

logger = logging.getLogger(__name__)
_started = threading.Event()
_stop = threading.Event()


def dispatcher_wanted() -> bool:
    """True in runserver's serving process of the embedded portal (no ``CELERY_BROKER_URL``)."""
    return not settings.CELERY_BROKER_URL and os.environ.get("RUN_MAIN") == "true"


def dispatcher_start(*, interval: float = DISPATCH_EVERY_SECONDS) -> threading.Thread | None:
    """Start the dispatcher thread (a round every ``interval`` seconds) once per process;
    returns the thread when this call started it, else None."""
    if _started.is_set():
        return None
    _started.set()
    _stop.clear()
    thread = threading.Thread(
        target=_loop, args=(interval,), name="notifications-dispatcher", daemon=True
    )
    thread.start()
    logger.info("Embedded notifications dispatcher started (every %s s).", interval)
    return thread


def dispatcher_stop() -> None:
    """Ask the dispatcher thread to stop after its current round (it closes its database
    connections); a later ``dispatcher_start`` starts a new one."""
    _stop.set()
    _started.clear()


def _loop(interval: float) -> None:
    from praktijkleren.notifications.delivery import outbox_dispatch_due

    while not _stop.wait(interval):
        close_old_connections()
        try:
            outbox_dispatch_due()
        except Exception:  # the loop must outlive one bad round; the error is logged
            logger.exception("Embedded notifications dispatcher: a round failed.")
        finally:
            close_old_connections()
    connections.close_all()
