from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    """Delivery state of an outbox message.

    ``pending`` → ``sending`` (claimed by one worker) → ``sent``; a temporary failure puts the
    message back to ``pending`` for a retry, a permanent one or the last attempt ends in
    ``failed``.
    """

    PENDING = "pending", _("Wacht op verzending")
    SENDING = "sending", _("Wordt verzonden")
    SENT = "sent", _("Verzonden")
    FAILED = "failed", _("Mislukt")


# Delivery attempts before a message ends as failed; a beat job re-queues pending messages
# older than STALE_AFTER_SECONDS.
MAX_ATTEMPTS = 5
STALE_AFTER_SECONDS = 600
# A claim (status ``sending``) older than this belongs to a worker that died: another worker may
# take the message over. Must exceed CELERY_TASK_TIME_LIMIT (90 s) so a live worker is never
# overtaken while it is still sending.
CLAIM_TIMEOUT_SECONDS = 300
