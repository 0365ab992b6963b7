from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from candidates.bsn import mask
from candidates.models import Candidate, CandidateTransition, Voordracht, VoordrachtTransition
from praktijkleren.accounts.audit import AccessLoggedAdminMixin
from praktijkleren.ui.admin import SafeAutocompleteMixin, TransitionLogInline


class CandidateTransitionInline(TransitionLogInline):
    model = CandidateTransition


class VoordrachtTransitionInline(TransitionLogInline):
    model = VoordrachtTransition


@admin.register(Candidate)
class CandidateAdmin(SafeAutocompleteMixin, AccessLoggedAdminMixin, admin.ModelAdmin):
    """Candidates; the status changes only through the workflow (its log is shown below).
    Every page of them is recorded in the access log. Never deleted here: deleting would take
    the candidate's history with it (the database refuses that anyway, PROTECT); a candidate's
    personal data is erased by anonymising it, on request by its consultant or when its
    retention term expires (``trajecten.privacy``, ``docs/privacy.md``)."""

    list_display = [
        "__str__",
        "organisation",
        "consultant",
        "postcode",
        "route",
        "status",
        "is_demo",
    ]
    list_filter = ["status", "route", "organisation__kind", "is_demo"]
    search_fields = ["last_name", "first_name", "email"]
    autocomplete_fields = [
        "organisation",
        "consultant",
        "postcode",
        "wished_kwalificaties",
        "wished_dossiers",
    ]
    readonly_fields = [
        "bsn_masked",
        "status",
        "end_reason",
        "anonymised_at",
        "anonymised_reason",
        "anonymised_note",
    ]
    list_select_related = ["organisation", "consultant", "postcode"]
    inlines = [CandidateTransitionInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("BSN"))
    def bsn_masked(self, obj: Candidate) -> str:
        """The BSN masked (``*****6789``): beheer is not the registering organisation."""
        return mask(obj.bsn) if obj.pk else ""


@admin.register(Voordracht)
class VoordrachtAdmin(SafeAutocompleteMixin, AccessLoggedAdminMixin, admin.ModelAdmin):
    """Voordrachten, read-only: they are made and moved by consultants and werkgevers. Every
    page of them is recorded in the access log (they name the candidate)."""

    access_candidate_field = "candidate_id"

    list_display = ["candidate", "leerbaan", "score", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["candidate__last_name", "leerbaan__titel"]
    list_select_related = ["candidate", "leerbaan"]
    inlines = [VoordrachtTransitionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
