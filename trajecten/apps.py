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
        _candidate_pages_register()


def _candidate_pages_register() -> None:
    """Name the candidate of each page of this app that shows a candidate's data, so that a
    refused request (403/404) is recorded in the access log with that candidate's id."""
    from candidates.models import Voordracht
    from praktijkleren.accounts.audit import (
        Action,
        candidate_kwarg,
        candidate_of,
        candidate_page_register,
    )
    from trajecten.models import Enrolment

    candidate_page_register("trajecten:candidate_detail", candidate_kwarg("pk"))
    for name in ("candidate_inzage_json", "candidate_inzage_pdf"):
        candidate_page_register(f"trajecten:{name}", candidate_kwarg("pk"), Action.EXPORT)
    candidate_page_register("trajecten:candidate_erase", candidate_kwarg("pk"), Action.DELETE)
    for name in (
        "enrolment_detail",
        "enrolment_transition",
        "agreement_edit",
        "programme",
        "progress",
        "praktijkverklaring_issue",
        "praktijkverklaring_pdf",
    ):
        candidate_page_register(f"trajecten:{name}", candidate_of(Enrolment))
    candidate_page_register("trajecten:voordracht_accept", candidate_of(Voordracht))
