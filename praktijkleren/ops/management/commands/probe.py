"""``manage.py probe {web-ready,worker-live,worker-ready,beat-live}``: exit 0 when healthy.

For container healthchecks (docker-compose.yml) and orchestrators. Prints one JSON line with
what it checked; exits 1 when a check failed.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from praktijkleren.ops import liveness, probes


class Command(BaseCommand):
    help = "Liveness and readiness probes of web, worker and beat (exit 0 when healthy)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "probe", choices=["web-ready", "worker-live", "worker-ready", "beat-live"]
        )

    def handle(self, *args: Any, probe: str, **options: Any) -> None:
        checks: dict[str, str] = {}
        if probe in ("web-ready", "worker-ready"):
            checks.update(probes.readiness())
        if probe in ("worker-live", "worker-ready"):
            alive = liveness.file_is_fresh(liveness.worker_liveness_file())
            checks["consuming"] = "ok" if alive else "stale"
        if probe == "beat-live":
            alive = liveness.file_is_fresh(liveness.beat_liveness_file())
            checks["ticking"] = "ok" if alive else "stale"
        self.stdout.write(json.dumps({"probe": probe, "checks": checks}))
        if not probes.is_ready(checks):
            raise CommandError(f"{probe}: not healthy")
