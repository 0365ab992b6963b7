import datetime as dt
import logging
import smtplib
import threading

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from praktijkleren.notifications import tasks
from praktijkleren.notifications.constants import (
    CLAIM_TIMEOUT_SECONDS,
    MAX_ATTEMPTS,
    OutboxStatus,
)
from praktijkleren.notifications.models import OutboxMessage
from praktijkleren.notifications.services import (
    OutboxDeliveryDeferred,
    is_retryable,
    notification_queue,
    outbox_deliver,
    outbox_requeue_stale,
    outbox_retry_failed,
)
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.notifications.factories import OutboxMessageFactory

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def _queue(organisation, key="match:1:proposed", **overrides):
    kwargs = {
        "organisation": organisation,
        "event": "match.proposed",
        "idempotency_key": key,
        "subject": "Nieuwe match",
        "body": "Er is een nieuwe match voor uw leerbaan.",
    }
    kwargs.update(overrides)
    return notification_queue(**kwargs)


# --- notification_queue -----------------------------------------------------------------------


def test_queue_writes_the_row_in_the_transaction_and_queues_delivery_on_commit(
    django_capture_on_commit_callbacks, queued
):
    organisation = OrganisationFactory(email="team@gemeente.example")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = _queue(organisation)
        assert OutboxMessage.objects.filter(pk=message.pk).exists()
        assert queued == []  # nothing leaves before the commit
    assert queued == [message.pk]
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.to_email == "team@gemeente.example"
    assert message.organisation == organisation
    assert (message.event, message.subject) == ("match.proposed", "Nieuwe match")


def test_queue_leaves_nothing_after_a_rollback(django_capture_on_commit_callbacks, queued):
    organisation = OrganisationFactory()

    def change_that_fails():
        with transaction.atomic():
            _queue(organisation)
            raise Boom

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Boom):
        change_that_fails()
    assert callbacks == []
    assert queued == []
    assert not OutboxMessage.objects.exists()


def test_an_unreachable_broker_leaves_the_message_pending_for_the_requeue(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broker_down(message_id):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(tasks.deliver, "delay", broker_down)
    organisation = OrganisationFactory()

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = _queue(organisation)

    assert "deliver_after_commit" in caplog.text
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.PENDING


def test_queue_with_the_same_idempotency_key_returns_the_existing_row(
    django_capture_on_commit_callbacks, queued
):
    organisation = OrganisationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue(organisation, key="match:7:accepted")
        second = _queue(organisation, key="match:7:accepted", subject="Iets anders")
    assert second.pk == first.pk
    assert OutboxMessage.objects.count() == 1
    assert OutboxMessage.objects.get().subject == "Nieuwe match"
    assert queued == [first.pk]


def test_queue_without_organisation_email_uses_the_longest_standing_active_user(queued):
    organisation = OrganisationFactory(email="")
    now = timezone.now()
    UserFactory(
        organisation=organisation,
        email="oud@x.example",
        is_active=False,
        date_joined=now - dt.timedelta(days=30),
    )
    UserFactory(organisation=organisation, email="", date_joined=now - dt.timedelta(days=20))
    UserFactory(
        organisation=organisation, email="eerste@x.example", date_joined=now - dt.timedelta(days=10)
    )
    UserFactory(organisation=organisation, email="later@x.example", date_joined=now)
    UserFactory(email="ander@x.example", date_joined=now - dt.timedelta(days=60))

    message = _queue(organisation)

    assert message.to_email == "eerste@x.example"


def test_queue_without_any_address_writes_nothing_and_logs_no_personal_data(caplog, queued):
    organisation = OrganisationFactory(email="", name="Gemeente Geheimstad")
    UserFactory(organisation=organisation, email="")
    with caplog.at_level(logging.WARNING, logger="praktijkleren.notifications"):
        assert _queue(organisation) is None
    assert not OutboxMessage.objects.exists()
    assert str(organisation.pk) in caplog.text
    assert "Geheimstad" not in caplog.text


@pytest.mark.django_db(transaction=True)
def test_queue_refuses_to_run_outside_a_transaction(queued):
    organisation = OrganisationFactory()
    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
        _queue(organisation)
    assert not OutboxMessage.objects.exists()


# --- outbox_deliver ---------------------------------------------------------------------------


def test_deliver_sends_the_message_once_and_marks_it_sent():
    message = OutboxMessageFactory(to_email="team@gemeente.example", subject="Onderwerp")

    assert outbox_deliver(message_id=message.pk) is True

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["team@gemeente.example"]
    assert sent.subject == "Onderwerp"
    assert sent.body == message.body
    assert sent.extra_headers["Message-ID"].startswith(f"<outbox-{message.pk}@")
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

    with pytest.raises(OutboxDeliveryDeferred):
        outbox_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert message.last_error.startswith(f"{type(error).__module__}.{type(error).__qualname__}: ")
    assert message.sent_at is None


def test_the_last_attempt_marks_the_message_failed(failing_mail):
    message = OutboxMessageFactory()
    failing_mail(smtplib.SMTPServerDisconnected("gone"))
    for _ in range(MAX_ATTEMPTS - 1):
        with pytest.raises(OutboxDeliveryDeferred):
            outbox_deliver(message_id=message.pk)

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
    with pytest.raises(OutboxDeliveryDeferred):
        outbox_deliver(message_id=message.pk)
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


# --- outbox_requeue_stale and outbox_retry_failed ---------------------------------------------


def _age(message, *, created_seconds_ago, claimed_seconds_ago=None):
    now = timezone.now()
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=now - dt.timedelta(seconds=created_seconds_ago),
        claimed_at=None
        if claimed_seconds_ago is None
        else now - dt.timedelta(seconds=claimed_seconds_ago),
    )
    return message


def test_requeue_stale_picks_only_old_pending_and_abandoned_messages(
    django_capture_on_commit_callbacks, queued
):
    old_pending = _age(OutboxMessageFactory(), created_seconds_ago=700)
    recently_retried = _age(
        OutboxMessageFactory(attempts=1), created_seconds_ago=900, claimed_seconds_ago=60
    )
    new_pending = _age(OutboxMessageFactory(), created_seconds_ago=30)
    _age(OutboxMessageFactory(sent=True), created_seconds_ago=7000)
    _age(OutboxMessageFactory(failed=True), created_seconds_ago=7000)
    abandoned = _age(
        OutboxMessageFactory(status=OutboxStatus.SENDING, claimed_at=timezone.now()),
        created_seconds_ago=7000,
        claimed_seconds_ago=CLAIM_TIMEOUT_SECONDS + 400,
    )
    _age(
        OutboxMessageFactory(status=OutboxStatus.SENDING, claimed_at=timezone.now()),
        created_seconds_ago=7000,
        claimed_seconds_ago=60,
    )

    with django_capture_on_commit_callbacks(execute=True):
        count = outbox_requeue_stale(older_than_seconds=600)

    assert count == 2
    assert sorted(queued) == sorted([old_pending.pk, abandoned.pk])
    assert recently_retried.pk not in queued
    assert new_pending.pk not in queued


def test_retry_failed_gives_failed_messages_fresh_attempts(
    django_capture_on_commit_callbacks, queued
):
    failed = OutboxMessageFactory(failed=True)
    sent = OutboxMessageFactory(sent=True)
    pending = OutboxMessageFactory()

    with django_capture_on_commit_callbacks(execute=True):
        count = outbox_retry_failed(message_ids=[failed.pk, sent.pk, pending.pk])

    assert count == 1
    assert queued == [failed.pk]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (OutboxStatus.PENDING, 0)
    assert OutboxMessage.objects.get(pk=sent.pk).status == OutboxStatus.SENT
    assert outbox_deliver(message_id=failed.pk) is True
    assert len(mail.outbox) == 1
