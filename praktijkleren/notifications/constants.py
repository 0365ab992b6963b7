from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    """Delivery state of an outbox message."""

    PENDING = "pending", _("Wacht op verzending")
    SENT = "sent", _("Verzonden")
    FAILED = "failed", _("Mislukt")


# Delivery attempts before a message ends as failed; a beat job re-queues pending messages
# older than STALE_AFTER_SECONDS.
MAX_ATTEMPTS = 5
STALE_AFTER_SECONDS = 600
