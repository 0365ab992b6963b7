"""Health check for load balancers and the compose healthcheck: ``GET /gezondheid/``.

Mounted in ``praktijkleren/urls.py`` as
``path("gezondheid/", health, name="health")`` (``from praktijkleren.health import health``).
"""

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

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
