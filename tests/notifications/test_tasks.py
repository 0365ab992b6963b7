import smtplib

import pytest
from django.core import mail

from praktijkleren.celery import app
from praktijkleren.notifications import tasks
from praktijkleren.notifications.constants import OutboxStatus
from praktijkleren.notifications.models import OutboxMessage
from tests.notifications.factories import OutboxMessageFactory

pytestmark = pytest.mark.django_db


def test_deliver_task_sends_the_message_by_id():
    message = OutboxMessageFactory()

    assert tasks.deliver(message.pk) is True
    assert tasks.deliver(message.pk) is False

    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.SENT


def test_deliver_task_leaves_a_retryable_failure_to_the_dispatcher(failing_mail):
    message = OutboxMessageFactory()
    failing_mail(smtplib.SMTPServerDisconnected("gone"))

    assert tasks.deliver(message.pk) is False

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert message.next_attempt_at > message.created_at


def test_deliver_task_reports_an_error_a_retry_cannot_cure(failing_mail):
    message = OutboxMessageFactory()
    failing_mail(ValueError("bad header"))

    result = tasks.deliver.apply(args=[message.pk], throw=False)

    assert result.failed()
    assert isinstance(result.result, ValueError)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1)


def test_dispatch_due_task_hands_out_due_messages(django_capture_on_commit_callbacks, queued):
    message = OutboxMessageFactory()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.dispatch_due() == 1

    assert queued == [message.pk]


def test_celery_settings_reach_the_app():
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.result_serializer == "json"
    assert list(conf.accept_content) == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_soft_time_limit == 30
    assert conf.task_time_limit == 45
    assert conf.task_publish_retry is False
    assert conf.broker_connection_timeout == 2
    # Redis hands an unacknowledged task to another worker only after the visibility time-out:
    # longer than any task may run (no task is scheduled with a countdown).
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert conf.timezone == "Europe/Amsterdam"
    # The test settings name a broker, so tasks are never run eagerly in the test suite.
    assert conf.broker_url.startswith("redis://")
    assert conf.task_always_eager is False


def test_every_task_in_the_beat_schedule_exists():
    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks
    assert tasks.deliver.name == "notifications.deliver"
    assert tasks.dispatch_due.name == "notifications.dispatch_due"
