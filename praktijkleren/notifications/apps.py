from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Events and what they tell whom: e-mail, the portal's notification centre and webhooks,
    written in the change's transaction and delivered once (docs/architecture.md)."""

    name = "praktijkleren.notifications"
    label = "notifications"
    verbose_name = _("Meldingen")

    def ready(self) -> None:
        from praktijkleren.notifications.embedded import dispatcher_start, dispatcher_wanted

        if dispatcher_wanted():
            dispatcher_start()
