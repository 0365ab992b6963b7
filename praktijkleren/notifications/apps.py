from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The outbox: messages to organisations, written in the caller's transaction and
    delivered by Celery after commit (docs/architecture.md)."""

    name = "praktijkleren.notifications"
    label = "notifications"
    verbose_name = _("Meldingen")
