from django.contrib import admin

from praktijkleren.accounts.audit import AccessLoggedAdminMixin
from praktijkleren.ui.admin import SafeAutocompleteMixin, TransitionLogInline
from trajecten.models import Enrolment, EnrolmentTransition


class EnrolmentTransitionInline(TransitionLogInline):
    model = EnrolmentTransition


@admin.register(Enrolment)
class EnrolmentAdmin(SafeAutocompleteMixin, AccessLoggedAdminMixin, admin.ModelAdmin):
    """Enrolments, read-only: they follow a placement and are moved by schools and
    consultants. Every page of them is recorded in the access log (they name the candidate)."""

    access_candidate_field = "candidate_id"

    list_display = ["candidate", "instelling", "kwalificatie", "route", "status", "start_date"]
    list_filter = ["status", "route"]
    search_fields = ["candidate__last_name", "instelling__naam", "kwalificatie__crebo"]
    list_select_related = ["candidate", "instelling", "kwalificatie"]
    inlines = [EnrolmentTransitionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
