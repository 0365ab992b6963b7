import smtplib

import pytest
from django.core import mail

from praktijkleren.celery import app
from praktijkleren.notifications import tasks
from praktijkleren.notifications.constants import MAX_ATTEMPTS, OutboxStatus
from praktijkleren.notifications.models import OutboxMessage
from praktijkleren.notifications.services import OutboxDeliveryDeferred
from tests.notifications.factories import OutboxMessageFactory

pytestmark = pytest.mark.django_db


def test_deliver_task_sends_the_message_by_id():
    message = OutboxMessageFactory()

    assert tasks.deliver(message.pk) is True
    assert tasks.deliver(message.pk) is False

    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.SENT


def test_deliver_task_raises_a_retryable_error_for_celery_to_retry(failing_mail):
    message = OutboxMessageFactory()
    failing_mail(smtplib.SMTPServerDisconnected("gone"))

    # Called directly there is no worker to retry: Celery re-raises what the service raised.
    with pytest.raises(OutboxDeliveryDeferred) as excinfo:
        tasks.deliver(message.pk)

    assert isinstance(excinfo.value.__cause__, smtplib.SMTPServerDisconnected)
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.PENDING


@pytest.fixture
def eager_retries_do_not_propagate():
    """apply() runs a task's retries in-process, one after another (countdown ignored); a
    retry's own apply() must not raise ``Retry`` into the first one."""
    propagates = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = propagates


@pytest.mark.usefixtures("eager_retries_do_not_propagate")
def test_deliver_task_retries_only_deferred_deliveries_and_is_bounded(failing_mail):
    message = OutboxMessageFactory()
    failing_mail(smtplib.SMTPServerDisconnected("gone"))

    result = tasks.deliver.apply(args=[message.pk], throw=False)

    assert result.successful()
    assert result.result is False
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == MAX_ATTEMPTS


def test_deliver_task_does_not_retry_an_error_a_retry_cannot_cure(failing_mail):
    message = OutboxMessageFactory()
    failing_mail(ValueError("bad header"))

    result = tasks.deliver.apply(args=[message.pk], throw=False)

    assert result.failed()
    assert isinstance(result.result, ValueError)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1)


def test_deliver_task_retry_policy():
    assert tasks.deliver.autoretry_for == (OutboxDeliveryDeferred,)
    assert tasks.deliver.max_retries == MAX_ATTEMPTS - 1
    assert tasks.deliver.retry_backoff == tasks.RETRY_BACKOFF_SECONDS
    assert tasks.deliver.retry_backoff_max == tasks.RETRY_BACKOFF_MAX_SECONDS
    assert tasks.deliver.retry_jitter is True


def test_requeue_stale_task_queues_old_pending_messages(django_capture_on_commit_callbacks, queued):
    message = OutboxMessageFactory()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.requeue_stale(older_than_seconds=0) == 1

    assert queued == [message.pk]


def test_celery_settings_reach_the_app():
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.result_serializer == "json"
    assert list(conf.accept_content) == ["json"]
    assert conf.task_acks_late is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_soft_time_limit == 60
    assert conf.task_time_limit == 90
    assert conf.timezone == "Europe/Amsterdam"
    # The test settings name a broker, so tasks are never run eagerly in the test suite.
    assert conf.broker_url.startswith("redis://")
    assert conf.task_always_eager is False


def test_every_task_in_the_beat_schedule_exists():
    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks
    assert tasks.deliver.name == "notifications.deliver"
    assert tasks.requeue_stale.name == "notifications.requeue_stale"
