from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    """Candidates (kandidaten), the matching and their voordrachten for leerbanen."""

    name = "candidates"
    verbose_name = _("Kandidaten")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from candidates.models import Candidate, Voordracht

        # Who looked at or changed a candidate is audit-logged (domain primer, 'Privacy'); the
        # BSN is masked in the log so it never reaches a log line.
        auditlog.register(
            Candidate,
            mask_fields=["bsn"],
            mask_callable="candidates.audit.mask_all",
            m2m_fields={"wished_kwalificaties", "wished_dossiers"},
        )
        auditlog.register(Voordracht)
