"""Readiness of the portal's processes: ``readiness() -> dict[str, str]`` checks that the
database answers, no migration is pending and the broker answers (``"in-process"`` where tasks
run in-process). The web's ``/gezondheid/gereed/`` and ``manage.py probe web-ready`` /
``worker-ready`` report it; liveness of worker and beat is in ``praktijkleren.ops.liveness``.
"""

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor


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
    except Exception:
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
