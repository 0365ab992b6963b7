from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    """Candidates (kandidaten), their matches to leerbanen and their enrolments (inschrijvingen)."""

    name = "candidates"
    verbose_name = _("Kandidaten")
