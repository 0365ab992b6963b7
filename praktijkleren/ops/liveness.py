"""Liveness files of the worker and beat, touched from their own loops (no Django imports, so
``praktijkleren/celery.py`` can load it before Django is set up).

- ``WorkerLivenessFile``: a worker consumer step that touches ``WORKER_LIVENESS_FILE`` every
  ``LIVENESS_INTERVAL`` seconds from the consumer's own timer, so the file goes stale when the
  worker stops consuming (a blocked loop, a lost broker connection) even if the process lives on.
- ``LivenessScheduler``: beat's persistent scheduler, touching ``BEAT_LIVENESS_FILE`` at every
  tick (at least every ``beat_max_loop_interval`` seconds).

``manage.py probe worker-live`` / ``beat-live`` fail when the file is older than
``LIVENESS_MAX_AGE`` seconds.
"""

import os
import time
from pathlib import Path
from typing import Any

from celery import bootsteps
from celery.beat import PersistentScheduler

# Seconds between touches, and after which a probe calls the process dead (env overrides for
# tests and slow machines).
LIVENESS_INTERVAL = float(os.environ.get("LIVENESS_INTERVAL", "10"))
LIVENESS_MAX_AGE = float(os.environ.get("LIVENESS_MAX_AGE", "60"))


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
