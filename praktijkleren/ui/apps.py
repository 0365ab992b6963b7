from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UiConfig(AppConfig):
    """Portal-wide pages (home, log-in) and the template helpers every app uses."""

    name = "praktijkleren.ui"
    label = "ui"
    verbose_name = _("Portaal")
