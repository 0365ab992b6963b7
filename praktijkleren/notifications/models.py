"""Events, what they tell whom (the outbox per channel, the portal's notifications), users'
preferences and organisations' webhook endpoints. See ``docs/architecture.md``,
'Notifications'."""

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from praktijkleren.accounts.models import Organisation
from praktijkleren.notifications.constants import Channel, Mode, OutboxStatus
from praktijkleren.notifications.errors import error_explain
from praktijkleren.notifications.events import EVENTS


class Event(models.Model):
    """Something that happened to an object that parties are told about: ``type`` from the
    registry (``notifications.events``), the object (``subject_type`` = its model name,
    ``subject_id``), its ``version`` (the transition log row, or another number that changes when
    the object does) and ``path``, the object's page. ``uuid`` is the CloudEvents id. One row per
    type, object and version."""

    uuid = models.UUIDField(_("id"), default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(_("soort"), max_length=60)
    subject_type = models.CharField(_("soort object"), max_length=40)
    subject_id = models.PositiveBigIntegerField(_("object"))
    version = models.PositiveBigIntegerField(_("versie"))
    path = models.CharField(_("pagina"), max_length=200)
    occurred_at = models.DateTimeField(_("tijdstip"), auto_now_add=True)

    class Meta:
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")
        ordering = ["-occurred_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["type", "subject_type", "subject_id", "version"], name="event_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.subject_type}:{self.subject_id}"


class WebhookEndpoint(models.Model):
    """An organisation's webhook receiver: ``url`` (https outside development, never a private,
    loopback or link-local address) and its Standard Webhooks ``secret`` (``whsec_`` + base64).
    A 410 answer disables it (``disabled_at``, ``disabled_reason``)."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="webhook_endpoint",
        verbose_name=_("organisatie"),
    )
    url = models.URLField(_("adres (URL)"), max_length=500)
    secret = models.CharField(_("geheim"), max_length=100)
    is_active = models.BooleanField(_("actief"), default=True)
    disabled_at = models.DateTimeField(_("uitgezet op"), null=True, blank=True)
    disabled_reason = models.CharField(_("reden uitgezet"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.url}"

    @property
    def host(self) -> str:
        """The receiver's host name (and port), as the delivery log shows it."""
        return urlsplit(self.url).netloc.rpartition("@")[2]


class OutboxMessage(models.Model):
    """One message to one recipient on one channel (e-mail or webhook), written in the same
    transaction as the change it reports, delivered once by a worker.

    ``idempotency_key`` (recipient, event, object, version, channel) is unique: the same event
    never yields two rows for the same recipient. ``uuid`` is the stable id a receiver can drop a
    repeat by (the e-mail's Message-ID, the webhook-id). ``organisation`` is the recipient's
    organisation (its delivery log); ``user`` the person for an e-mail to a user, empty for the
    organisation's mailbox; ``endpoint`` the webhook. E-mail rows carry ``subject``, ``body``
    (text) and ``body_html``; webhook rows the CloudEvent in ``payload``. ``attempts`` counts the
    tries; ``next_attempt_at`` is when the next may be made; ``last_error`` keeps the last
    failure's class and message (no personal data); ``claimed_at`` tells a live claim from one
    left by a worker that died.
    """

    uuid = models.UUIDField(_("bericht-id"), default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outbox",
        verbose_name=_("gebeurtenis"),
    )
    channel = models.CharField(
        _("kanaal"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="outbox", verbose_name=_("organisatie")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbox",
        verbose_name=_("gebruiker"),
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox",
        verbose_name=_("webhook"),
    )
    kind = models.CharField(_("gebeurtenis"), max_length=60)
    idempotency_key = models.CharField(_("idempotentiesleutel"), max_length=200, unique=True)
    to_email = models.EmailField(_("aan"), blank=True)
    subject = models.CharField(_("onderwerp"), max_length=200, blank=True)
    body = models.TextField(_("tekst"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    payload = models.JSONField(_("inhoud"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(_("volgende poging"), auto_now_add=True)
    last_error = models.TextField(_("laatste fout"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("laatste poging op"), null=True, blank=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitgaande melding")
        verbose_name_plural = _("uitgaande meldingen")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
            models.Index(fields=["organisation", "created_at"], name="outbox_org_log_idx"),
        ]
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
            models.CheckConstraint(
                condition=~models.Q(channel=Channel.EMAIL) | ~models.Q(to_email=""),
                name="outbox_email_has_address",
            ),
            models.CheckConstraint(
                condition=~models.Q(channel=Channel.WEBHOOK) | models.Q(payload__isnull=False),
                name="outbox_webhook_has_payload",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.organisation} ({self.get_channel_display()})"

    @property
    def is_failed(self) -> bool:
        """Delivery gave up: an administrator may send it again."""
        return self.status == OutboxStatus.FAILED

    @property
    def is_retrying(self) -> bool:
        """An attempt failed and another one is due at ``next_attempt_at``."""
        return self.status == OutboxStatus.PENDING and self.attempts > 0

    @property
    def event_label(self) -> str:
        """The Dutch name of the row's event (``kind``), the e-mail's subject when it has one."""
        if self.subject:
            return self.subject
        if self.kind in EVENTS:
            return str(EVENTS[self.kind].label)
        return self.kind

    @property
    def error_explained(self) -> str:
        """``last_error`` as a Dutch sentence for the delivery log (``errors.error_explain``)."""
        return error_explain(self.last_error)


class Notification(models.Model):
    """An event in a user's notification centre: its ``title`` (what the user may read of it,
    in Dutch) and whether the user has read it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("gebruiker"),
    )
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="notifications", verbose_name=_("gebeurtenis")
    )
    title = models.CharField(_("titel"), max_length=200)
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="notification_once_per_user"),
        ]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """How ``user`` wants to hear of events of ``event_type``: at once, in the daily digest or
    not at all (``Mode``). Without a row: at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("gebruiker"),
    )
    event_type = models.CharField(_("gebeurtenis"), max_length=60)
    mode = models.CharField(_("wanneer"), max_length=10, choices=Mode.choices)

    class Meta:
        verbose_name = _("voorkeur voor meldingen")
        verbose_name_plural = _("voorkeuren voor meldingen")
        constraints = [
            models.UniqueConstraint(fields=["user", "event_type"], name="preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.event_type} {self.mode}"
