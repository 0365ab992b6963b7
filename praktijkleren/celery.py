"""The Celery application. Settings come from Django's settings with the ``CELERY_`` prefix.

Logging: the worker and beat keep Django's ``LOGGING`` (structured, praktijkleren/logs.py)
instead of Celery's own set-up, and the worker binds each task's id (and the request id and
user id of the request that queued it, carried in the task's headers) to every line the task
logs (django-structlog's worker step).
"""

import logging.config
import os
from typing import Any

from celery import Celery
from celery.signals import setup_logging
from django_structlog.celery.steps import DjangoStructLogInitStep

from praktijkleren.ops.liveness import WorkerLivenessFile

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "praktijkleren.settings.dev")

app = Celery("praktijkleren")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.steps["worker"].add(DjangoStructLogInitStep)
# The worker touches its liveness file while it consumes (manage.py probe worker-live).
app.steps["consumer"].add(WorkerLivenessFile)


@setup_logging.connect
def _logging_from_django_settings(**kwargs: Any) -> None:
    """Configure the worker's and beat's logging from ``settings.LOGGING`` (connecting this
    signal also stops Celery from replacing the root logger's handlers)."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
