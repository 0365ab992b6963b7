"""Delivering outbox rows, once, per channel (the transactional outbox; style.md "Celery and
transactions").

1. ``delivery_queue_on_commit`` hands a row to the broker after the commit, in one quick try:
   no publish retries inside the request, and no wait longer than ``PUBLISH_WAIT_SECONDS``
   (the publish runs on a helper thread, ``_Publisher``). When the broker is down or does not
   answer, the row simply stays pending, and the process leaves the broker alone for
   ``BROKER_PAUSE_SECONDS``.
2. ``outbox_deliver`` (the ``notifications.deliver`` task, which receives only the row's id)
   claims the row in a short transaction (``select_for_update(skip_locked=True)``, status
   ``sending``), sends it outside any transaction (SMTP, or an HTTPS POST for a webhook), then
   marks it ``sent``. A failure a retry can cure puts it back to ``pending`` with a later
   ``next_attempt_at`` (exponential backoff with jitter); a permanent one, or the last attempt,
   ends it as ``failed``, visible in the delivery log.
3. ``outbox_dispatch_due`` (beat every 15 s, and a thread in the embedded portal) hands every
   due row to the workers again: rows whose retry time came, rows the broker never got, and rows
   claimed by a worker that died (claim older than ``CLAIM_TIMEOUT_SECONDS``). So a row stranded
   by a crash or an outage goes out within two minutes of the worker or the broker being back.

Delivery is at least once: a worker killed after the server accepted a message but before it
marked the row sent leaves a claim that expires, and the row is sent again — with the same
Message-ID or webhook-id (the row's uuid), so the receiver can drop the repeat.
"""

from __future__ import annotations

import logging
import os
import random
import re
import smtplib
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from praktijkleren.notifications import webhooks
from praktijkleren.notifications.constants import (
    BROKER_PAUSE_SECONDS,
    CLAIM_TIMEOUT_SECONDS,
    MAX_ATTEMPTS,
    PUBLISH_WAIT_SECONDS,
    Channel,
    OutboxStatus,
)
from praktijkleren.notifications.models import OutboxMessage, WebhookEndpoint

logger = logging.getLogger(__name__)

_ERROR_MAX_CHARS = 500
# Failures that end a row without being a bug: a refusal by the SMTP server or the webhook
# receiver, a receiver that is gone, an address the portal may not call.
_KNOWN_FAILURES = (
    smtplib.SMTPException,
    webhooks.WebhookRejected,
    webhooks.WebhookGone,
    ValidationError,
)
# E-mail addresses in error texts (an SMTP reply may quote the recipient) are replaced.
_EMAIL_ADDRESS = re.compile(r"[^\s<>()\[\]:;,\"']+@[^\s<>()\[\]:;,\"']+")


# A publish failed because of the broker (down, refusing, not answering), not because of a bug.
_BROKER_ERRORS = (OperationalError, OSError)


class _Publisher:
    """Publishes ``notifications.deliver`` for outbox rows on one helper thread per process; the
    committing thread waits for it at most ``PUBLISH_WAIT_SECONDS``.

    Why (found by ``tests/notifications/test_faults.py``): a broker that takes connections but
    does not answer (a Redis that hangs, a network that drops packets) held each publish for the
    socket time-out, 5 s, once per row: a voordracht with six rows kept its request 30 s, past
    gunicorn's time-out, for a change that was already committed. A broker that refuses
    connections fails fast, but each row still tried it again. Now:

    - a publish that has not finished after ``PUBLISH_WAIT_SECONDS`` finishes (or fails) on the
      helper thread while the request goes on; if it never reaches the broker, the row stays
      pending for ``outbox_dispatch_due``, which is where a row the broker lacks goes anyway;
    - while such a publish is still under way, and for ``BROKER_PAUSE_SECONDS`` after a publish
      failed, the process does not try the broker: the rows stay pending. So the other rows of a
      request, or a dispatcher round of thousands, never queue up behind a broker that is down.

    A publish that finishes late still queues its task; the dispatcher may queue the row again,
    and the claim in ``outbox_deliver`` makes the second task a no-op.
    """

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        self._late: Future[Any] | None = None  # a publish that outlived its wait, if any
        self._paused_until = 0.0

    def publish(self, message_id: int) -> bool:
        """Publish the task for row ``message_id``; True when the broker took it in time.
        Raises what the publish raised for another reason than the broker (a bug)."""
        from praktijkleren.notifications.tasks import deliver  # tasks imports this module

        with self._lock:
            if self._late is not None and not self._late.done():
                logger.debug("Broker still busy: outbox message %s left pending.", message_id)
                return False
            if time.monotonic() < self._paused_until:
                logger.debug("Broker paused: outbox message %s left pending.", message_id)
                return False
            future = self._pool().submit(deliver.apply_async, (message_id,), retry=False)
        # Outside the lock: a future already done runs the callback here, at once.
        future.add_done_callback(self._finished)
        done, _not_done = wait([future], timeout=PUBLISH_WAIT_SECONDS)
        if not done:
            with self._lock:
                self._late = future
            logger.warning(
                "The broker did not take outbox message %s within %s s; it stays pending for "
                "the dispatcher.",
                message_id,
                PUBLISH_WAIT_SECONDS,
            )
            return False
        error = future.exception()
        if error is None:
            return True
        if isinstance(error, _BROKER_ERRORS):
            logger.warning(
                "The broker refused outbox message %s (%s); it stays pending for the "
                "dispatcher, and the broker is left alone for %s s.",
                message_id,
                type(error).__name__,
                BROKER_PAUSE_SECONDS,
            )
            return False
        raise error

    def _pool(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="outbox-publish")
        return self._executor

    def after_fork(self) -> None:
        """A forked process (gunicorn, Celery's prefork pool) has no helper thread, and a lock
        another thread held at the fork stays held: start anew."""
        self._reset()

    def _finished(self, future: Future[Any]) -> None:
        if isinstance(future.exception(), _BROKER_ERRORS):
            with self._lock:
                self._paused_until = time.monotonic() + BROKER_PAUSE_SECONDS

    def close(self) -> None:
        """Let the helper thread end (tests that replace the publisher)."""
        if self._executor is not None:
            self._executor.shutdown(wait=False)


_publisher = _Publisher()
os.register_at_fork(after_in_child=_publisher.after_fork)


def delivery_queue_on_commit(message_id: int) -> None:
    """After the commit, hand row ``message_id`` to the broker (``notifications.deliver``).

    One quick try without retries (``retry=False``), waited for at most
    ``PUBLISH_WAIT_SECONDS`` (``_Publisher``): a failure is logged, never raised into the
    request whose change is already committed, and the row stays pending for
    ``outbox_dispatch_due``. Without a broker (the embedded portal) the task runs in-process at
    once.
    """
    from praktijkleren.notifications.tasks import deliver  # the tasks module imports this one

    def deliver_after_commit() -> None:
        if deliver.app.conf.task_always_eager:
            deliver.apply_async((message_id,), retry=False)
        else:
            _publisher.publish(message_id)

    transaction.on_commit(deliver_after_commit, robust=True)


def outbox_deliver(*, message_id: int) -> bool:
    """Send outbox row ``message_id`` once; return True if this call sent it.

    Returns False without sending when the row does not exist, is not due (already sent,
    failed, held for a digest, claimed by a live worker, or its retry time has not come), or has
    just run out of attempts. Both transactions are ``durable``: called inside another
    transaction it raises ``RuntimeError``, so a send never holds a transaction open. Records
    every failure (``last_error``: class and message, without e-mail addresses, at most 500
    characters); re-raises an unexpected exception (a bug) after marking the row failed.
    """
    message = _claim(message_id)
    if message is None:
        return False
    claimed_at = message.claimed_at
    try:
        _send(message)
    except Exception as exc:
        retryable = is_retryable(exc)
        _record_failure(message, claimed_at=claimed_at, exc=exc, retryable=retryable)
        if retryable or isinstance(exc, _KNOWN_FAILURES):
            return False
        raise
    with transaction.atomic(durable=True):
        marked = OutboxMessage.objects.filter(
            pk=message_id, status=OutboxStatus.SENDING, claimed_at=claimed_at
        ).update(status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="")
    if not marked:
        logger.warning("Outbox message %s was sent, but its claim had been taken over.", message_id)
    return True


def outbox_dispatch_due(*, now: datetime | None = None) -> int:
    """Hand every due row to the workers (one ``notifications.deliver`` each, after the commit):
    pending rows whose ``next_attempt_at`` has come, and rows claimed longer than
    ``CLAIM_TIMEOUT_SECONDS`` ago (their worker died). Returns how many."""
    now = now or timezone.now()
    claim_cutoff = now - timedelta(seconds=CLAIM_TIMEOUT_SECONDS)
    ids = list(
        OutboxMessage.objects.filter(
            Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
            | Q(status=OutboxStatus.SENDING, claimed_at__lt=claim_cutoff)
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:5000]
    )
    with transaction.atomic():
        for message_id in ids:
            delivery_queue_on_commit(message_id)
    if ids:
        logger.info("Dispatched %d due outbox messages.", len(ids))
    return len(ids)


def retry_delay_seconds(attempt: int) -> float:
    """The wait after failed attempt number ``attempt`` (1, 2, ...), in seconds: the base
    (``NOTIFICATION_RETRY_BASE_SECONDS``) doubled per attempt, at most
    ``NOTIFICATION_RETRY_MAX_SECONDS``, and then a random share between half and all of it."""
    ceiling = min(
        settings.NOTIFICATION_RETRY_MAX_SECONDS,
        settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** (attempt - 1),
    )
    return random.uniform(ceiling / 2, ceiling)


def is_retryable(exc: BaseException) -> bool:
    """True when a retry can cure ``exc``: an SMTP 4xx reply (for every refused recipient) or a
    dropped connection, any other ``OSError`` (refused, time-out, DNS), a webhook receiver's
    408, 425, 429 or 5xx or lost connection (``WebhookRetry``), or Celery's soft time limit.
    Not a 5xx SMTP reply, a webhook's 410 or other 4xx, a refused address, or a bug."""
    if isinstance(exc, SoftTimeLimitExceeded | webhooks.WebhookRetry):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [reply[0] for reply in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500 or exc.smtp_code < 0
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return False
    return isinstance(exc, OSError)


def _claim(message_id: int) -> OutboxMessage | None:
    """Claim the row for this worker and return it (status ``sending``), or None."""
    now = timezone.now()
    with transaction.atomic(durable=True):
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(pk=message_id)
            .first()
        )
        if message is None or not _due(message, now):
            return None
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


def _due(message: OutboxMessage, now: datetime) -> bool:
    if message.status == OutboxStatus.PENDING:
        return message.next_attempt_at <= now
    if message.status == OutboxStatus.SENDING:  # a claim left by a worker that died
        claimed_at = message.claimed_at
        return claimed_at is not None and claimed_at <= now - timedelta(
            seconds=CLAIM_TIMEOUT_SECONDS
        )
    return False


def _send(message: OutboxMessage) -> None:
    if message.channel == Channel.WEBHOOK:
        endpoint = message.endpoint
        if endpoint is None or not endpoint.is_active:
            raise webhooks.WebhookOff("the endpoint was removed or turned off")
        assert message.payload is not None
        webhooks.webhook_post(
            url=endpoint.url,
            secret=endpoint.secret,
            message_id=str(message.uuid),
            payload=message.payload,
        )
        return
    sender_domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        headers={"Message-ID": f"<{message.uuid}@{sender_domain}>"},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    email.send(fail_silently=False)


def _record_failure(
    message: OutboxMessage, *, claimed_at: datetime | None, exc: BaseException, retryable: bool
) -> str:
    """Store the error and the next status: pending with a later attempt, or failed. A 410
    from a webhook receiver also turns its endpoint off."""
    attempts_left = message.attempts < MAX_ATTEMPTS
    status = OutboxStatus.PENDING if retryable and attempts_left else OutboxStatus.FAILED
    next_attempt = timezone.now() + timedelta(seconds=retry_delay_seconds(message.attempts))
    with transaction.atomic(durable=True):
        OutboxMessage.objects.filter(
            pk=message.pk, status=OutboxStatus.SENDING, claimed_at=claimed_at
        ).update(status=status, last_error=_describe(exc), next_attempt_at=next_attempt)
        if isinstance(exc, webhooks.WebhookGone) and message.endpoint_id:
            WebhookEndpoint.objects.filter(pk=message.endpoint_id).update(
                is_active=False,
                disabled_at=timezone.now(),
                disabled_reason="410 Gone: de ontvanger wil geen webhooks meer.",
            )
    logger.warning(
        "Outbox message %s attempt %d failed (%s): %s.",
        message.pk,
        message.attempts,
        type(exc).__name__,
        "will retry" if status == OutboxStatus.PENDING else "marked failed",
    )
    return status


def _describe(exc: BaseException) -> str:
    """The exception's class and message, without e-mail addresses (personal data)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({reply[0] for reply in exc.recipients.values()})
        text = f"recipients refused with SMTP codes {codes}"
    elif isinstance(exc, smtplib.SMTPResponseException):
        error = exc.smtp_error
        detail = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
        text = f"{exc.smtp_code} {detail}"
    elif isinstance(exc, ValidationError):
        text = " ".join(exc.messages)
    else:
        text = str(exc)
    text = _EMAIL_ADDRESS.sub("<adres>", text)
    return f"{type(exc).__module__}.{type(exc).__qualname__}: {text}"[:_ERROR_MAX_CHARS]
