"""Operations: the processes' probes and their management command."""

from django.apps import AppConfig


class OpsConfig(AppConfig):
    """``praktijkleren.ops``: liveness and readiness of web, worker and beat (no models)."""

    name = "praktijkleren.ops"
    label = "ops"
    verbose_name = "Beheer van de processen"
