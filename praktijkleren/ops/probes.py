"""Liveness and readiness of the portal's processes: web, worker and beat.

- ``readiness() -> dict[str, str]``: the database answers, no migration is pending, the broker
  answers (``"in-process"`` where tasks run in-process). The web's ``/gezondheid/gereed/`` and
  ``manage.py probe worker-ready`` report it.
- ``WorkerLivenessFile``: a worker consumer step that touches ``WORKER_LIVENESS_FILE`` every
  ``LIVENESS_INTERVAL`` seconds from the consumer's own event loop, so the file goes stale when
  the worker stops consuming (a blocked loop, a lost broker connection) even if the process
  lives on. ``manage.py probe worker-live`` fails when it is older than ``LIVENESS_MAX_AGE``.
- ``LivenessScheduler``: beat's persistent scheduler, touching ``BEAT_LIVENESS_FILE`` at every
  tick (at least every ``CELERY_BEAT_MAX_LOOP_INTERVAL`` seconds); ``manage.py probe
  beat-live`` fails when it is stale.
"""

import os
import time
from pathlib import Path
from typing import Any

from celery import bootsteps
from celery.beat import PersistentScheduler
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

LIVENESS_INTERVAL = 10.0  # seconds between touches
LIVENESS_MAX_AGE = 60.0  # seconds after which a probe calls the process dead


def worker_liveness_file() -> Path:
    """The worker's liveness file (env ``WORKER_LIVENESS_FILE``)."""
    return Path(os.environ.get("WORKER_LIVENESS_FILE", "/tmp/praktijkleren-worker-alive"))


def beat_liveness_file() -> Path:
    """Beat's liveness file (env ``BEAT_LIVENESS_FILE``)."""
    return Path(os.environ.get("BEAT_LIVENESS_FILE", "/tmp/praktijkleren-beat-alive"))


def file_is_fresh(path: Path, max_age: float = LIVENESS_MAX_AGE) -> bool:
    """True when ``path`` exists and was touched less than ``max_age`` seconds ago."""
    try:
        return time.time() - path.stat().st_mtime < max_age
    except FileNotFoundError:
        return False


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unavailable"
    return "ok"


def _migrations() -> str:
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return "unavailable"
    return "pending" if plan else "ok"


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    from praktijkleren.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
    except Exception:  # noqa: BLE001 - kombu raises the transport's own errors; any is "down"
        return "unavailable"
    return "ok"


def readiness() -> dict[str, str]:
    """``{"database": ..., "migrations": ..., "broker": ...}``: each ``"ok"`` (the broker also
    ``"in-process"``) when ready, else ``"unavailable"`` or, for migrations, ``"pending"``."""
    database = _database()
    return {
        "database": database,
        "migrations": _migrations() if database == "ok" else "unavailable",
        "broker": _broker(),
    }


def is_ready(checks: dict[str, str]) -> bool:
    """True when every check of ``readiness()`` passed."""
    return all(value in ("ok", "in-process") for value in checks.values())


class WorkerLivenessFile(bootsteps.StartStopStep):
    """Consumer step: touches the worker's liveness file from the consumer's timer."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.tref: Any = None
        self.path = worker_liveness_file()

    def _touch(self) -> None:
        self.path.touch()

    def start(self, parent: Any) -> None:
        """Touch now (the worker consumes) and then every ``LIVENESS_INTERVAL`` seconds."""
        self._touch()
        self.tref = parent.timer.call_repeatedly(LIVENESS_INTERVAL, self._touch)

    def stop(self, parent: Any) -> None:
        """Stop touching and remove the file: a stopped consumer is not alive."""
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None
        self.path.unlink(missing_ok=True)


class LivenessScheduler(PersistentScheduler):
    """Beat's scheduler, touching beat's liveness file at every tick."""

    def tick(self, *args: Any, **kwargs: Any) -> float:
        """Run the due entries (``PersistentScheduler.tick``), then touch the file."""
        interval = super().tick(*args, **kwargs)
        beat_liveness_file().touch()
        return interval
