"""Admin for the outbox: administrators see every message, why it failed, and re-send it."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from praktijkleren.notifications import services
from praktijkleren.notifications.constants import OutboxStatus
from praktijkleren.notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only view of the outbox with the action "Opnieuw versturen" for failed messages.

    Messages are written by services only (``notification_queue``): nothing is added or edited
    here.
    """

    list_display = ["event", "organisation", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "event"]
    list_select_related = ["organisation"]
    search_fields = ["idempotency_key", "event", "subject", "organisation__name"]
    date_hierarchy = "created_at"
    actions = ["resend_failed"]
    fields = [
        "organisation",
        "event",
        "idempotency_key",
        "to_email",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "claimed_at",
        "sent_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Opnieuw versturen"), permissions=["change"])
    def resend_failed(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        """Queue the selected failed messages again with a fresh set of attempts."""
        ids = list(queryset.values_list("pk", flat=True))
        count = services.outbox_retry_failed(message_ids=ids)
        skipped = len(ids) - count
        self.message_user(
            request,
            ngettext(
                "%(count)d melding wordt opnieuw verstuurd.",
                "%(count)d meldingen worden opnieuw verstuurd.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d melding is overgeslagen: alleen mislukte meldingen (%(status)s) "
                    "worden opnieuw verstuurd.",
                    "%(count)d meldingen zijn overgeslagen: alleen mislukte meldingen "
                    "(%(status)s) worden opnieuw verstuurd.",
                    skipped,
                )
                % {"count": skipped, "status": OutboxStatus.FAILED.label},
                messages.WARNING,
            )
