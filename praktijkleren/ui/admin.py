"""Admin helpers shared by the apps."""

from django.contrib import admin


class TransitionLogInline(admin.TabularInline):
    """A workflow object's transition log, read-only (``praktijkleren.workflow``): history is
    written by the transition services only, never edited."""

    extra = 0
    can_delete = False
    fields = ["at", "transition", "from_state", "to_state", "by", "organisation", "reason_code"]
    readonly_fields = fields
    ordering = ["at", "pk"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
