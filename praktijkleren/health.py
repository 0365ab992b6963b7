"""Health checks for load balancers, orchestrators and the compose healthchecks.

- ``GET /gezondheid/`` (``health``): liveness plus the database.
- ``GET /gezondheid/gereed/`` (``readiness``): the database, pending migrations and the broker
  (``praktijkleren.ops.probes.readiness``).

Both need no login and tell only which check failed, never why (that goes to the log).
"""

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from praktijkleren.ops.probes import is_ready
from praktijkleren.ops.probes import readiness as readiness_checks

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """200 ``{"status": "ok"}`` when the database answers, else 503 ``{"status": "unavailable"}``.

    Needs no login and tells nothing about the failure beyond its class, in the log only.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.error("Health check: database unavailable (%s).", type(exc).__name__)
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readiness(request: HttpRequest) -> JsonResponse:
    """200 ``{"status": "ready", "checks": {...}}`` when the database answers, no migration is
    pending and the broker answers; else 503 ``{"status": "not ready", "checks": {...}}`` with
    each check ``"ok"``, ``"in-process"`` (tasks run in-process), ``"pending"`` or
    ``"unavailable"``."""
    checks = readiness_checks()
    if is_ready(checks):
        return JsonResponse({"status": "ready", "checks": checks})
    logger.error("Readiness check failed: %s.", checks)
    return JsonResponse({"status": "not ready", "checks": checks}, status=503)
