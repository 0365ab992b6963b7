"""Writes for the outbox: queue a notification in the caller's transaction, deliver it once.

The transactional outbox (docs/architecture.md, ../shared/docs/style.md "Celery and
transactions"):

1. ``notification_queue`` writes an ``OutboxMessage`` inside the caller's transaction and queues
   ``notifications.deliver`` with ``transaction.on_commit``: a rollback leaves neither a row nor
   a task.
2. ``outbox_deliver`` claims the row in a short transaction (``select_for_update(skip_locked=
   True)``, status ``sending`` with ``claimed_at``), sends the e-mail outside any transaction,
   then marks it ``sent`` in a second short transaction. A claimed row is skipped by every other
   worker, so two workers never send the same message.
3. ``outbox_requeue_stale`` (beat) re-queues messages that stayed pending, or whose claim was
   left behind by a worker that died, for too long.

Delivery is at least once, not exactly once: a worker that dies after the SMTP server accepted
the message but before it marked the row sent leaves a claim that expires after
``CLAIM_TIMEOUT_SECONDS``; the message is then sent again. Every message carries a stable
``Message-ID`` (``<outbox-<id>@<sender domain>>``) so a mail client can recognise the duplicate.
"""

from __future__ import annotations

import logging
import re
import smtplib
from datetime import datetime, timedelta
from email.utils import parseaddr

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from praktijkleren.accounts.models import Organisation
from praktijkleren.notifications.constants import (
    CLAIM_TIMEOUT_SECONDS,
    MAX_ATTEMPTS,
    OutboxStatus,
)
from praktijkleren.notifications.models import OutboxMessage

logger = logging.getLogger(__name__)

# ``last_error`` keeps at most this many characters.
_ERROR_MAX_CHARS = 500
# E-mail addresses in error texts (an SMTP reply may quote the recipient) are replaced.
_EMAIL_ADDRESS = re.compile(r"[^\s<>()\[\]:;,\"']+@[^\s<>()\[\]:;,\"']+")


class OutboxDeliveryDeferred(Exception):
    """A delivery failed for a reason a retry can cure; the message is pending again.

    Raised by ``outbox_deliver`` ``from`` the original error (an SMTP 4xx reply, a lost or
    refused connection, a time-out). The ``notifications.deliver`` task retries on this
    exception only.
    """


def notification_queue(
    *, organisation: Organisation, event: str, idempotency_key: str, subject: str, body: str
) -> OutboxMessage | None:
    """Write an e-mail to ``organisation`` to the outbox; deliver it after the commit.

    Must be called inside the caller's ``transaction.atomic()`` block (the service that makes
    the change owns the transaction, style.md): the message then exists if and only if the
    change was committed. Outside an atomic block it raises ``RuntimeError`` instead of opening
    a transaction of its own, because the caller's change would already have been committed
    on its own.

    Recipient: ``organisation.email``; when that is empty, the e-mail address of the
    organisation's longest-standing active user (earliest ``date_joined``) that has one — a
    single person, so a large team does not receive every message. Without any address no
    message is written: it returns None and logs the organisation's id and the event (no
    personal data).

    ``event`` is a short code (at most 50 characters, e.g. ``"match.accepted"``),
    ``subject`` at most 200 characters. ``idempotency_key`` (at most 200 characters) names the
    occurrence, e.g. ``"match:42:accepted"``: calling again with the same key returns the
    existing message and queues nothing new.

    Returns the ``OutboxMessage`` (new or existing), or None without an address.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "notification_queue() must run inside the caller's transaction.atomic() block, "
            "so that the notification is written together with the change it reports."
        )
    existing = OutboxMessage.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing

    to_email = _recipient_for(organisation)
    if not to_email:
        logger.warning(
            "No e-mail address for organisation %s; notification %s not queued.",
            organisation.pk,
            event,
        )
        return None

    message, created = OutboxMessage.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "organisation": organisation,
            "event": event,
            "to_email": to_email,
            "subject": subject,
            "body": body,
        },
    )
    if created:
        _queue_delivery_on_commit(message.pk)
    return message


def outbox_deliver(*, message_id: int) -> bool:
    """Send the outbox message ``message_id`` once; return True if this call sent it.

    Returns False without sending when the message does not exist, is already ``sent`` or
    ``failed``, is locked or claimed by another worker, or has just run out of attempts.

    Steps: (1) claim — lock the row with ``select_for_update(skip_locked=True)``, set status
    ``sending``, ``claimed_at`` to now and count the attempt, commit; (2) send the e-mail through
    ``django.core.mail`` outside any transaction; (3) mark ``sent`` with ``sent_at``. Both
    transactions are ``durable``: calling this inside another transaction raises
    ``RuntimeError``, so the SMTP call can never hold a transaction open.

    Errors: a temporary failure (SMTP 4xx reply, dropped or refused connection, time-out, other
    ``OSError``) stores ``last_error`` (exception class and message, cut to 500 characters) and
    puts the message back to ``pending``, then raises ``OutboxDeliveryDeferred`` for the task to
    retry; at ``MAX_ATTEMPTS`` it ends as ``failed`` instead and returns False. A permanent SMTP
    failure (5xx) ends as ``failed`` at once and returns False. Any other exception (a bug)
    ends as ``failed`` too and is re-raised.
    """
    message = _claim(message_id)
    if message is None:
        return False
    claimed_at = message.claimed_at
    try:
        _send(message)
    except Exception as exc:
        # Recorded for every error; only the retryable ones are retried (by the task).
        retryable = is_retryable(exc)
        status = _record_failure(message, claimed_at=claimed_at, exc=exc, retryable=retryable)
        if status == OutboxStatus.PENDING:
            raise OutboxDeliveryDeferred(_describe(exc)) from exc
        if retryable or isinstance(exc, smtplib.SMTPException):
            return False
        raise
    with transaction.atomic(durable=True):
        marked = OutboxMessage.objects.filter(
            pk=message_id, status=OutboxStatus.SENDING, claimed_at=claimed_at
        ).update(status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="")
    if not marked:
        # Only possible when this worker outlived CLAIM_TIMEOUT_SECONDS and another took over.
        logger.warning("Outbox message %s was sent, but its claim had been taken over.", message_id)
    return True


def outbox_requeue_stale(*, older_than_seconds: int) -> int:
    """Queue delivery again for messages stuck for more than ``older_than_seconds`` seconds.

    Picks ``pending`` messages whose last attempt (or, never tried, whose creation) is older
    than that, and ``sending`` messages whose claim is older than that (and older than
    ``CLAIM_TIMEOUT_SECONDS``): their worker died. ``sent`` and ``failed`` messages are never
    picked. Queues one ``notifications.deliver`` per message after the commit; returns how many.
    """
    now = timezone.now()
    cutoff = now - timedelta(seconds=older_than_seconds)
    claim_cutoff = min(cutoff, now - timedelta(seconds=CLAIM_TIMEOUT_SECONDS))
    ids = list(
        OutboxMessage.objects.alias(last_activity=Coalesce("claimed_at", "created_at"))
        .filter(
            Q(status=OutboxStatus.PENDING, last_activity__lt=cutoff)
            | Q(status=OutboxStatus.SENDING, claimed_at__lt=claim_cutoff)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for message_id in ids:
        _queue_delivery_on_commit(message_id)
    if ids:
        logger.info("Re-queued %d stale outbox messages.", len(ids))
    return len(ids)


def outbox_retry_failed(*, message_ids: list[int]) -> int:
    """Give failed messages a fresh set of attempts (the admin's "Opnieuw versturen").

    Of ``message_ids`` only ``failed`` messages change: back to ``pending`` with ``attempts``
    0 and ``last_error`` kept, then delivery is queued after the commit. Returns how many.
    """
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update()
            .filter(pk__in=message_ids, status=OutboxStatus.FAILED)
            .values_list("pk", flat=True)
        )
        OutboxMessage.objects.filter(pk__in=ids).update(
            status=OutboxStatus.PENDING, attempts=0, claimed_at=None
        )
        for message_id in ids:
            _queue_delivery_on_commit(message_id)
    return len(ids)


def is_retryable(exc: BaseException) -> bool:
    """True when a retry can cure ``exc``.

    SMTP errors (``smtplib.SMTPException``, itself an ``OSError``) are retryable when the
    server's reply is temporary (a 4xx code, for every refused recipient) or when there is no
    reply code at all (the connection dropped); a 5xx reply is permanent. Other ``OSError``s —
    ``ConnectionError``, ``TimeoutError``, a DNS failure — are retryable, and so is Celery's
    soft time limit. Anything else (a bug, a malformed message) is not.
    """
    if isinstance(exc, SoftTimeLimitExceeded):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [reply[0] for reply in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500 or exc.smtp_code < 0
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return False
    return isinstance(exc, OSError)


def _recipient_for(organisation: Organisation) -> str:
    """``organisation.email``, else the longest-standing active user's address, else ''."""
    if organisation.email:
        return organisation.email
    fallback = (
        organisation.users.filter(is_active=True)
        .exclude(email="")
        .order_by("date_joined", "pk")
        .values_list("email", flat=True)
        .first()
    )
    return fallback or ""


def _queue_delivery_on_commit(message_id: int) -> None:
    """After the commit, queue ``notifications.deliver`` for ``message_id``.

    ``robust=True``: when the broker cannot be reached the error is logged, not raised into the
    request whose change has already been committed; the message stays pending and
    ``outbox_requeue_stale`` queues it later. (A named function, not ``functools.partial``:
    Django logs a robust callback's failure by its ``__qualname__``.)
    """
    # Imported here: the tasks module imports this one.
    from praktijkleren.notifications.tasks import deliver

    def deliver_after_commit() -> None:
        deliver.delay(message_id)

    transaction.on_commit(deliver_after_commit, robust=True)


def _claim(message_id: int) -> OutboxMessage | None:
    """Claim the message for this worker and return it (status ``sending``), or None."""
    now = timezone.now()
    with transaction.atomic(durable=True):
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=message_id).first()
        )
        if message is None:  # gone, or locked by a worker claiming it right now
            return None
        if message.status in (OutboxStatus.SENT, OutboxStatus.FAILED):
            return None
        if _claimed_recently(message, now=now):
            return None  # another worker is sending it
        if message.attempts >= MAX_ATTEMPTS:
            message.status = OutboxStatus.FAILED
            message.save(update_fields=["status"])
            logger.warning("Outbox message %s failed: no attempts left.", message_id)
            return None
        message.status = OutboxStatus.SENDING
        message.claimed_at = now
        message.attempts += 1
        message.save(update_fields=["status", "claimed_at", "attempts"])
    return message


def _claimed_recently(message: OutboxMessage, *, now: datetime) -> bool:
    """Whether a worker claimed ``message`` for sending less than the claim timeout ago."""
    return (
        message.status == OutboxStatus.SENDING
        and message.claimed_at is not None  # always set while sending (a check constraint)
        and message.claimed_at > now - timedelta(seconds=CLAIM_TIMEOUT_SECONDS)
    )


def _send(message: OutboxMessage) -> None:
    """Send one e-mail through Django's configured backend (SMTP in production)."""
    sender_domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        headers={"Message-ID": f"<outbox-{message.pk}@{sender_domain}>"},
    ).send(fail_silently=False)


def _record_failure(
    message: OutboxMessage, *, claimed_at: datetime | None, exc: BaseException, retryable: bool
) -> str:
    """Store the error and the next status (pending or failed); return that status."""
    attempts_left = message.attempts < MAX_ATTEMPTS
    status = OutboxStatus.PENDING if retryable and attempts_left else OutboxStatus.FAILED
    with transaction.atomic(durable=True):
        OutboxMessage.objects.filter(
            pk=message.pk, status=OutboxStatus.SENDING, claimed_at=claimed_at
        ).update(status=status, last_error=_describe(exc))
    logger.warning(
        "Outbox message %s attempt %d failed (%s): %s.",
        message.pk,
        message.attempts,
        type(exc).__name__,
        "will retry" if status == OutboxStatus.PENDING else "marked failed",
    )
    return status


def _describe(exc: BaseException) -> str:
    """The exception's class and message, without e-mail addresses (personal data).

    ``SMTPRecipientsRefused`` lists the refused addresses: only their reply codes are kept; any
    other address in the text becomes ``<adres>``.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({reply[0] for reply in exc.recipients.values()})
        text = f"recipients refused with SMTP codes {codes}"
    elif isinstance(exc, smtplib.SMTPResponseException):
        error = exc.smtp_error
        detail = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
        text = f"{exc.smtp_code} {detail}"
    else:
        text = str(exc)
    text = _EMAIL_ADDRESS.sub("<adres>", text)
    return f"{type(exc).__module__}.{type(exc).__qualname__}: {text}"[:_ERROR_MAX_CHARS]
