from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeerbedrijvenConfig(AppConfig):
    """Erkende leerbedrijven, their vestigingen, erkenningen and leerbanen."""

    name = "leerbedrijven"
    verbose_name = _("Leerbedrijven")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from leerbedrijven.models import Leerbaan

        # Who changed what in a leerbaan (an edit is no transition, so it has no log row of its
        # own): django-auditlog, with the werkprocessen.
        auditlog.register(Leerbaan, m2m_fields={"werkprocessen"})
