import datetime as dt
import smtplib
import threading
import time

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from praktijkleren.notifications import delivery, tasks
from praktijkleren.notifications.constants import (
    CLAIM_TIMEOUT_SECONDS,
    MAX_ATTEMPTS,
    PUBLISH_WAIT_SECONDS,
    OutboxStatus,
)
from praktijkleren.notifications.delivery import (
    delivery_queue_on_commit,
    is_retryable,
    outbox_deliver,
    outbox_dispatch_due,
    retry_delay_seconds,
)
from praktijkleren.notifications.models import OutboxMessage
from praktijkleren.notifications.services import outbox_resend
from tests.notifications.factories import OutboxMessageFactory

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


# --- outbox_deliver ---------------------------------------------------------------------------


def test_deliver_sends_the_message_once_and_marks_it_sent():
    message = OutboxMessageFactory(to_email="team@gemeente.example", subject="Onderwerp")

    assert outbox_deliver(message_id=message.pk) is True

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["team@gemeente.example"]
    assert sent.subject == "Onderwerp"
    assert sent.body == message.body
    assert sent.extra_headers["Message-ID"].startswith(f"<{message.uuid}@")
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.sent_at is not None
    assert message.attempts == 1


def test_a_second_deliver_is_a_no_op():
    message = OutboxMessageFactory()
    assert outbox_deliver(message_id=message.pk) is True
    sent_at = OutboxMessage.objects.get(pk=message.pk).sent_at

    assert outbox_deliver(message_id=message.pk) is False

    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.attempts, message.sent_at) == (1, sent_at)


def test_deliver_of_a_missing_or_failed_message_sends_nothing():
    failed = OutboxMessageFactory(failed=True)
    assert outbox_deliver(message_id=failed.pk + 1000) is False
    assert outbox_deliver(message_id=failed.pk) is False
    assert mail.outbox == []
    assert OutboxMessage.objects.get(pk=failed.pk).status == OutboxStatus.FAILED


def test_deliver_skips_a_message_another_worker_is_sending():
    message = OutboxMessageFactory(
        status=OutboxStatus.SENDING, claimed_at=timezone.now() - dt.timedelta(seconds=5), attempts=1
    )
    assert outbox_deliver(message_id=message.pk) is False
    assert mail.outbox == []
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENDING, 1)


def test_deliver_takes_over_a_claim_left_by_a_dead_worker():
    message = OutboxMessageFactory(
        status=OutboxStatus.SENDING,
        claimed_at=timezone.now() - dt.timedelta(seconds=CLAIM_TIMEOUT_SECONDS + 1),
        attempts=1,
    )
    assert outbox_deliver(message_id=message.pk) is True
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 2)


@pytest.mark.django_db(transaction=True)
def test_deliver_skips_a_row_locked_by_another_worker():
    message = OutboxMessageFactory()
    locked, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold_lock():
        try:
            with transaction.atomic():
                OutboxMessage.objects.select_for_update().get(pk=message.pk)
                locked.set()
                release.wait(timeout=10)
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)
            locked.set()
        finally:
            connection.close()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        assert errors == []
        assert outbox_deliver(message_id=message.pk) is False
    finally:
        release.set()
        holder.join(timeout=10)
    assert mail.outbox == []
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 0
    # Once the other transaction ended, the message is delivered normally.
    assert outbox_deliver(message_id=message.pk) is True
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_deliver_refuses_to_run_inside_a_transaction():
    message = OutboxMessageFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_deliver(message_id=message.pk)
    assert mail.outbox == []


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        smtplib.SMTPDataError(451, b"4.3.0 Try again later"),
        ConnectionRefusedError(111, "Connection refused"),
        TimeoutError("timed out"),
    ],
    ids=["disconnected", "smtp-451", "refused", "timeout"],
)
def test_a_retryable_error_counts_the_attempt_and_keeps_the_message_pending(failing_mail, error):
    message = OutboxMessageFactory()
    failing_mail(error)
    before = timezone.now()

    assert outbox_deliver(message_id=message.pk) is False

    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    # The retry waits half to all of the first backoff (30 s by default).
    delay = (message.next_attempt_at - before).total_seconds()
    assert 15 <= delay <= 31
    assert message.last_error.startswith(f"{type(error).__module__}.{type(error).__qualname__}: ")
    assert message.sent_at is None


def test_the_last_attempt_marks_the_message_failed(failing_mail):
    message = OutboxMessageFactory()
    failing_mail(smtplib.SMTPServerDisconnected("gone"))
    for _ in range(MAX_ATTEMPTS):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        assert outbox_deliver(message_id=message.pk) is False

    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == MAX_ATTEMPTS
    assert "SMTPServerDisconnected" in message.last_error
    # A failed message is left alone, even when the mail server is back.
    failing_mail(None)
    assert outbox_deliver(message_id=message.pk) is False
    assert mail.outbox == []


def test_a_pending_message_without_attempts_left_ends_failed_unsent():
    message = OutboxMessageFactory(attempts=MAX_ATTEMPTS)
    assert outbox_deliver(message_id=message.pk) is False
    assert mail.outbox == []
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.FAILED


def test_a_permanent_smtp_error_fails_at_once_without_personal_data(failing_mail):
    message = OutboxMessageFactory(to_email="jan.jansen@gemeente.example")
    failing_mail(
        smtplib.SMTPRecipientsRefused(
            {"jan.jansen@gemeente.example": (550, b"5.1.1 <jan.jansen@gemeente.example> unknown")}
        )
    )

    assert outbox_deliver(message_id=message.pk) is False

    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 1
    assert "SMTPRecipientsRefused" in message.last_error
    assert "550" in message.last_error
    assert "jan.jansen" not in message.last_error


def test_an_address_in_an_smtp_reply_is_not_stored(failing_mail):
    message = OutboxMessageFactory(to_email="p.de.vries@bedrijf.example")
    failing_mail(smtplib.SMTPDataError(452, b"4.2.2 Mailbox of p.de.vries@bedrijf.example full"))
    assert outbox_deliver(message_id=message.pk) is False
    message.refresh_from_db()
    assert "p.de.vries" not in message.last_error
    assert "452" in message.last_error


def test_an_unexpected_error_fails_the_message_and_is_raised(failing_mail):
    message = OutboxMessageFactory()
    failing_mail(ValueError("header contains a newline"))
    with pytest.raises(ValueError, match="newline"):
        outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1)
    assert message.last_error == "builtins.ValueError: header contains a newline"


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (smtplib.SMTPServerDisconnected("x"), True),
        (smtplib.SMTPConnectError(421, b"busy"), True),
        (smtplib.SMTPSenderRefused(451, b"later", "noreply@x.example"), True),
        (
            smtplib.SMTPRecipientsRefused({"a@x.example": (450, b"x"), "b@x.example": (451, b"")}),
            True,
        ),
        (
            smtplib.SMTPRecipientsRefused({"a@x.example": (450, b"x"), "b@x.example": (550, b"")}),
            False,
        ),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), False),
        (smtplib.SMTPDataError(554, b"rejected"), False),
        (smtplib.SMTPNotSupportedError("no STARTTLS"), False),
        (ConnectionResetError(), True),
        (TimeoutError(), True),
        (OSError("network unreachable"), True),
        (ValueError("x"), False),
        (Exception("x"), False),
    ],
)
def test_is_retryable(error, expected):
    assert is_retryable(error) is expected


# --- the retry schedule, outbox_dispatch_due and outbox_resend --------------------------------


def test_a_pending_message_is_not_sent_before_its_retry_time():
    message = OutboxMessageFactory()
    OutboxMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() + dt.timedelta(seconds=60)
    )
    assert outbox_deliver(message_id=message.pk) is False
    assert mail.outbox == []


@pytest.mark.parametrize(("attempt", "ceiling"), [(1, 30), (2, 60), (3, 120), (6, 600), (9, 600)])
def test_the_backoff_doubles_up_to_its_cap_with_jitter(attempt, ceiling):
    delays = [retry_delay_seconds(attempt) for _ in range(200)]
    assert all(ceiling / 2 <= d <= ceiling for d in delays)
    assert len({round(d, 3) for d in delays}) > 100  # jittered, not one fixed value


def _set(message, **fields):
    OutboxMessage.objects.filter(pk=message.pk).update(**fields)
    return message


def test_dispatch_hands_out_due_and_abandoned_messages_only(
    django_capture_on_commit_callbacks, queued
):
    now = timezone.now()
    due = _set(OutboxMessageFactory(), next_attempt_at=now - dt.timedelta(seconds=1))
    _set(OutboxMessageFactory(attempts=1), next_attempt_at=now + dt.timedelta(seconds=90))
    OutboxMessageFactory(sent=True)
    OutboxMessageFactory(failed=True)
    OutboxMessageFactory(status=OutboxStatus.HELD)
    abandoned = OutboxMessageFactory(
        status=OutboxStatus.SENDING,
        claimed_at=now - dt.timedelta(seconds=CLAIM_TIMEOUT_SECONDS + 5),
    )
    OutboxMessageFactory(status=OutboxStatus.SENDING, claimed_at=now - dt.timedelta(seconds=5))

    with django_capture_on_commit_callbacks(execute=True):
        count = outbox_dispatch_due()

    assert count == 2
    assert sorted(queued) == sorted([due.pk, abandoned.pk])


def test_resend_gives_failed_messages_fresh_attempts(django_capture_on_commit_callbacks, queued):
    failed = OutboxMessageFactory(failed=True)
    sent = OutboxMessageFactory(sent=True)
    pending = OutboxMessageFactory()
    ids = [failed.pk, sent.pk, pending.pk]

    with django_capture_on_commit_callbacks(execute=True):
        count = outbox_resend(messages=OutboxMessage.objects.filter(pk__in=ids))

    assert count == 1
    assert queued == [failed.pk]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (OutboxStatus.PENDING, 0)
    assert OutboxMessage.objects.get(pk=sent.pk).status == OutboxStatus.SENT
    assert outbox_deliver(message_id=failed.pk) is True
    assert len(mail.outbox) == 1


# --- handing rows to the broker after the commit --------------------------------------------


@pytest.fixture
def publisher(monkeypatch):
    """A publisher of the test's own (no pause or late publish left by another test)."""
    fresh = delivery._Publisher()
    monkeypatch.setattr(delivery, "_publisher", fresh)
    yield fresh
    fresh.close()


def _commit_queuing(django_capture_on_commit_callbacks, *message_ids: int) -> float:
    """Run the after-commit hand-off of ``message_ids``; returns how long it took."""
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        for message_id in message_ids:
            delivery_queue_on_commit(message_id)
    return time.monotonic() - started


def test_a_broker_that_does_not_answer_holds_the_commit_at_most_the_publish_wait(
    publisher, monkeypatch, django_capture_on_commit_callbacks
):
    answer = threading.Event()
    tried: list[int] = []

    def hang(args, **kwargs):
        tried.append(args[0])
        answer.wait(10)

    monkeypatch.setattr(tasks.deliver, "apply_async", hang)
    seconds = _commit_queuing(django_capture_on_commit_callbacks, 1, 2, 3)
    answer.set()

    assert seconds < PUBLISH_WAIT_SECONDS + 0.4
    # While the first publish is still under way, the others are left to the dispatcher.
    assert tried == [1]


def test_after_a_refused_publish_the_broker_is_left_alone_for_a_while(
    publisher, monkeypatch, django_capture_on_commit_callbacks, queued
):
    monkeypatch.setattr(delivery, "BROKER_PAUSE_SECONDS", 0.3)
    refused: list[int] = []

    def refuse(args, **kwargs):
        refused.append(args[0])
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.deliver, "apply_async", refuse)
    _commit_queuing(django_capture_on_commit_callbacks, 1, 2, 3)
    assert refused == [1]

    monkeypatch.setattr(tasks.deliver, "apply_async", lambda args, **kwargs: queued.append(args[0]))
    _commit_queuing(django_capture_on_commit_callbacks, 4)
    time.sleep(0.4)
    _commit_queuing(django_capture_on_commit_callbacks, 5, 6)
    assert queued == [5, 6]


def test_an_error_that_is_not_the_brokers_is_logged_and_pauses_nothing(
    publisher, monkeypatch, django_capture_on_commit_callbacks, queued, caplog
):
    def bug(args, **kwargs):
        raise TypeError("not JSON serializable")

    monkeypatch.setattr(tasks.deliver, "apply_async", bug)
    _commit_queuing(django_capture_on_commit_callbacks, 1)
    assert "not JSON serializable" in caplog.text

    monkeypatch.setattr(tasks.deliver, "apply_async", lambda args, **kwargs: queued.append(args[0]))
    _commit_queuing(django_capture_on_commit_callbacks, 2)
    assert queued == [2]
