from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeerbedrijvenConfig(AppConfig):
    """Erkende leerbedrijven, their vestigingen, erkenningen and leerbanen."""

    name = "leerbedrijven"
    verbose_name = _("Leerbedrijven")
