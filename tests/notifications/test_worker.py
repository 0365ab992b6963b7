"""End to end: a real Celery worker consumes ``notifications.deliver`` from Redis.

The worker runs in a thread of this process (``celery.contrib.testing.worker``), so it shares
``mail.outbox`` (locmem backend) with the test; the rows it reads must be committed, hence
``transaction=True``. The broker is the test settings' ``CELERY_BROKER_URL`` (Redis); the app
is not eager, so ``deliver.delay`` really publishes to Redis and the worker really consumes it.
"""

import threading
import time

import pytest
import redis
from celery import signals
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connections, transaction

from praktijkleren.celery import app
from praktijkleren.notifications import tasks
from praktijkleren.notifications.constants import OutboxStatus
from praktijkleren.notifications.delivery import delivery_queue_on_commit
from praktijkleren.notifications.models import OutboxMessage
from tests.notifications.factories import OutboxMessageFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 30


class TaskLog:
    """Tasks the worker received from the broker and finished, recorded from its signals."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list]] = []
        self.finished: list[str] = []
        self._changed = threading.Condition()

    def on_received(self, request, **kwargs) -> None:
        with self._changed:
            self.received.append((request.task_name, list(request.args)))
            self._changed.notify_all()

    def on_postrun(self, task_id, task, **kwargs) -> None:
        # Runs in the worker thread: close its database connections so that none stays open
        # after the test (Celery's Django fix-up does too; this does not rely on it).
        connections.close_all()
        with self._changed:
            self.finished.append(task_id)
            self._changed.notify_all()

    def wait_finished(self, count: int, timeout: float = WAIT_SECONDS) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.finished) >= count, timeout):
                pytest.fail(
                    f"The worker finished {len(self.finished)} of {count} tasks "
                    f"within {timeout} s (received: {self.received})."
                )


def _purge() -> None:
    with app.connection_for_write() as conn:
        app.control.purge(connection=conn)


@pytest.fixture
def celery_worker(transactional_db, monkeypatch):
    """A solo-pool Celery worker in a thread, consuming the real broker; stopped afterwards."""
    conf = app.conf
    assert conf.task_always_eager is False, "the worker tests need a broker, not eager mode"
    broker_url = conf.broker_url
    assert broker_url.startswith("redis://"), broker_url
    try:
        redis.Redis.from_url(broker_url, socket_connect_timeout=3, socket_timeout=3).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is not reachable at the test broker URL: {exc}")
    # System checks are manage.py check's job; the worker need not run them again.
    monkeypatch.setenv("CELERY_SKIP_CHECKS", "1")

    log = TaskLog()
    signals.task_received.connect(log.on_received, weak=False)
    signals.task_postrun.connect(log.on_postrun, weak=False)
    _purge()
    try:
        with start_worker(
            app,
            pool="solo",
            concurrency=1,
            perform_ping_check=False,
            loglevel="WARNING",
            shutdown_timeout=WAIT_SECONDS,
        ):
            yield log
    finally:
        signals.task_received.disconnect(log.on_received)
        signals.task_postrun.disconnect(log.on_postrun)
        _purge()


def _queue(**fields) -> OutboxMessage:
    """An outbox row handed to the broker after the commit, as ``event_emit`` writes one."""
    message = OutboxMessageFactory(**fields)
    delivery_queue_on_commit(message.pk)
    return message


def _wait_for_status(message_id: int, status: str, timeout: float = WAIT_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if OutboxMessage.objects.filter(pk=message_id, status=status).exists():
            return
        time.sleep(0.05)
    pytest.fail(f"Outbox message {message_id} did not become {status} within {timeout} s.")


def test_a_committed_notification_is_delivered_by_the_worker_through_redis(celery_worker):
    with transaction.atomic():
        message = _queue(to_email="team@gemeente.example", subject="Nieuwe voordracht")

    celery_worker.wait_finished(1)
    _wait_for_status(message.pk, OutboxStatus.SENT)
    # The worker got the task from the broker (task_received fires only for broker messages).
    assert celery_worker.received == [("notifications.deliver", [message.pk])]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["team@gemeente.example"]
    assert mail.outbox[0].subject == "Nieuwe voordracht"
    message.refresh_from_db()
    assert message.attempts == 1
    assert message.sent_at is not None


def test_a_rolled_back_notification_never_reaches_the_worker(celery_worker):
    def change_that_fails():
        with transaction.atomic():
            _queue()
            raise LookupError("the change failed")

    with pytest.raises(LookupError):
        change_that_fails()
    # A marker task queued after it: once the worker has done that, it has seen everything.
    tasks.dispatch_due.delay()

    celery_worker.wait_finished(1)
    assert celery_worker.received == [("notifications.dispatch_due", [])]
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_duplicate_deliveries_through_the_broker_send_one_e_mail(celery_worker):
    with transaction.atomic():
        message = _queue()
    # Two more deliveries of the same message, as a re-queue by beat could add.
    tasks.deliver.delay(message.pk)
    tasks.deliver.delay(message.pk)

    celery_worker.wait_finished(3)
    _wait_for_status(message.pk, OutboxStatus.SENT)
    assert celery_worker.received == [("notifications.deliver", [message.pk])] * 3
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 1
