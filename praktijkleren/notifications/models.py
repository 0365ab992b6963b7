"""The outbox of e-mail notifications (transactional outbox pattern, docs/architecture.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from praktijkleren.accounts.models import Organisation
from praktijkleren.notifications.constants import OutboxStatus


class OutboxMessage(models.Model):
    """One e-mail to an organisation, written in the same transaction as the change it reports.

    ``idempotency_key`` is unique: the same event never yields two messages. ``attempts`` counts
    delivery tries; ``last_error`` keeps the last failure's class and message (no personal data).
    ``claimed_at`` is when a worker last claimed the message for sending (status ``sending``
    while it sends); it tells a live claim from one left behind by a worker that died.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="outbox")
    event = models.CharField(_("gebeurtenis"), max_length=50)
    idempotency_key = models.CharField(_("idempotentiesleutel"), max_length=200, unique=True)
    to_email = models.EmailField(_("aan"))
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("tekst"))
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    last_error = models.TextField(_("laatste fout"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("laatste poging op"), null=True, blank=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitgaande melding")
        verbose_name_plural = _("uitgaande meldingen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_status_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=OutboxStatus.SENT) | models.Q(sent_at__isnull=False),
                name="outbox_sent_has_sent_at",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=OutboxStatus.SENDING)
                | models.Q(claimed_at__isnull=False),
                name="outbox_sending_has_claimed_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.organisation}"
