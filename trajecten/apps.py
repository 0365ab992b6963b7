from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrajectenConfig(AppConfig):
    """Trajecten: what follows a placement (enrolments at mbo-instellingen, and later the three
    routes' programmes, progress and documents). See docs/architecture.md."""

    name = "trajecten"
    verbose_name = _("Trajecten")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from praktijkleren.accounts.audit import auditlog_neutral_repr
        from trajecten.models import Enrolment

        auditlog.register(Enrolment)
        # str(enrolment) starts with the candidate's name: keep it out of the append-only log.
        auditlog_neutral_repr(Enrolment, "inschrijving")
