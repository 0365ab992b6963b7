"""Admin of the notification layer: beheer sees every organisation's delivery log (the outbox),
why a message failed, and re-sends it; events, notifications and webhooks read-only."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from praktijkleren.notifications import services
from praktijkleren.notifications.constants import OutboxStatus
from praktijkleren.notifications.events import EVENTS
from praktijkleren.notifications.models import Event, OutboxMessage, WebhookEndpoint


class KindFilter(admin.SimpleListFilter):
    """The outbox by event, named in Dutch (the registry's labels)."""

    title = _("gebeurtenis")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [
            *((name, event.label) for name, event in EVENTS.items()),
            ("digest", _("Dagelijkse samenvatting")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only view of the outbox with the action "Opnieuw versturen" for failed messages.

    Messages are written by services only (``event_emit``): nothing is added or edited here.
    """

    list_display = [
        "event_label",
        "organisation",
        "channel",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "channel", KindFilter]
    list_select_related = ["organisation"]
    search_fields = ["idempotency_key", "kind", "subject", "organisation__name"]
    date_hierarchy = "created_at"
    actions = ["resend_failed"]
    fields = [
        "uuid",
        "organisation",
        "user",
        "endpoint",
        "channel",
        "kind",
        "event",
        "idempotency_key",
        "to_email",
        "subject",
        "body",
        "payload",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "claimed_at",
        "sent_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("gebeurtenis"), ordering="kind")
    def event_label(self, obj: OutboxMessage) -> str:
        return obj.event_label

    @admin.action(description=_("Opnieuw versturen"), permissions=["change"])
    def resend_failed(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        """Queue the selected failed messages again with a fresh set of attempts."""
        ids = list(queryset.values_list("pk", flat=True))
        count = services.outbox_resend(messages=OutboxMessage.objects.filter(pk__in=ids))
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


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Events, read-only: what happened and when."""

    list_display = ["type", "subject_type", "subject_id", "version", "occurred_at"]
    list_filter = ["type"]
    search_fields = ["type", "subject_type"]
    readonly_fields = ["uuid", "type", "subject_type", "subject_id", "version", "path"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """Organisations' webhook endpoints (the organisation's administrator keeps them in the
    portal); the secret is not shown."""

    list_display = ["organisation", "url", "is_active", "disabled_at"]
    list_filter = ["is_active"]
    search_fields = ["organisation__name", "url"]
    exclude = ["secret"]
    readonly_fields = ["organisation", "disabled_at", "disabled_reason"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
