from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    """Candidates (kandidaten), the matching and their voordrachten for leerbanen."""

    name = "candidates"
    verbose_name = _("Kandidaten")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from candidates import checks  # noqa: F401  (registers the BSN key checks)
        from candidates.audit import CANDIDATE_PERSONAL_FIELDS, VOORDRACHT_PERSONAL_FIELDS
        from candidates.models import Candidate, Voordracht
        from praktijkleren.accounts.audit import auditlog_neutral_repr

        # Who looked at or changed a candidate is audit-logged (domain primer, 'Privacy'). The
        # log is append-only and outlives an erasure, so its entries hold no personal value: the
        # BSN's columns (its token and blind index, docs/bsn.md), the names, contact details,
        # birth data and free texts are masked (a change shows, its value never), and the
        # entry's object_repr is "kandidaat <pk>", not the name (docs/privacy.md).
        auditlog.register(
            Candidate,
            mask_fields=list(CANDIDATE_PERSONAL_FIELDS),
            mask_callable="candidates.audit.mask_all",
            m2m_fields={"wished_kwalificaties", "wished_dossiers", "experienced_werkprocessen"},
        )
        auditlog.register(
            Voordracht,
            mask_fields=list(VOORDRACHT_PERSONAL_FIELDS),
            mask_callable="candidates.audit.mask_all",
        )
        auditlog_neutral_repr(Candidate, "kandidaat")
        auditlog_neutral_repr(Voordracht, "voordracht")
        _voordracht_counts_register()
        _candidate_pages_register()


def _candidate_pages_register() -> None:
    """Name the candidate of each page of this app that shows a candidate's data, so that a
    refused request (403/404) is recorded in the access log with that candidate's id."""
    from candidates.models import Voordracht, VoordrachtRequest
    from praktijkleren.accounts.audit import (
        candidate_kwarg,
        candidate_of,
        candidate_page_register,
    )

    for name in ("candidate_experience", "candidate_transition", "voordracht_make"):
        candidate_page_register(f"candidates:{name}", candidate_kwarg("pk"))
    candidate_page_register("candidates:voordracht_request_create", candidate_kwarg("candidate_pk"))
    for name in ("voordracht_detail", "voordracht_transition"):
        candidate_page_register(f"candidates:{name}", candidate_of(Voordracht))
    candidate_page_register(
        "candidates:voordracht_request_decline", candidate_of(VoordrachtRequest)
    )


def _voordracht_counts_register() -> None:
    """Hand ``leerbedrijven`` the subqueries over a leerbaan's voordrachten that its list and
    its edit rules need (that app never imports this one)."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from candidates.constants import OPEN_VOORDRACHT_STATUSES
    from candidates.models import Voordracht
    from leerbedrijven.selectors import VoordrachtCounts, voordracht_counts_register

    def count(**filters):
        def expression():
            counted = (
                Voordracht.objects.filter(leerbaan=OuterRef("pk"), **filters)
                .order_by()
                .values("leerbaan")
                .annotate(n=Count("pk"))
                .values("n")
            )
            return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

        return expression

    voordracht_counts_register(
        VoordrachtCounts(total=count(), open=count(status__in=list(OPEN_VOORDRACHT_STATUSES)))
    )
