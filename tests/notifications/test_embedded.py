"""The embedded portal's dispatcher thread: without a broker it retries due deliveries."""

import time

import pytest

from praktijkleren.notifications import embedded, tasks
from praktijkleren.notifications.constants import OutboxStatus
from praktijkleren.notifications.models import OutboxMessage
from tests.notifications.factories import OutboxMessageFactory


@pytest.mark.parametrize(
    ("broker", "run_main", "wanted"),
    [("", "true", True), ("", None, False), ("redis://127.0.0.1:6379/0", "true", False)],
)
def test_wanted_only_in_the_serving_process_without_a_broker(
    settings, monkeypatch, broker, run_main, wanted
):
    settings.CELERY_BROKER_URL = broker
    if run_main is None:
        monkeypatch.delenv("RUN_MAIN", raising=False)
    else:
        monkeypatch.setenv("RUN_MAIN", run_main)

    assert embedded.dispatcher_wanted() is wanted


@pytest.mark.django_db(transaction=True)
def test_the_thread_delivers_a_due_message_in_process(monkeypatch, mailoutbox):
    # What CELERY_TASK_ALWAYS_EAGER does in the embedded portal: the task runs where it is sent.
    monkeypatch.setattr(tasks.deliver, "apply_async", lambda args, **_: tasks.deliver.apply(args))
    message = OutboxMessageFactory(to_email="team@leerbedrijf.example", subject="Nieuwe voordracht")

    thread = embedded.dispatcher_start(interval=0.05)
    assert thread is not None
    assert embedded.dispatcher_start(interval=0.05) is None  # once per process
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not mailoutbox:
            time.sleep(0.05)
    finally:
        embedded.dispatcher_stop()
        thread.join(timeout=5)

    assert not thread.is_alive()
    assert [mail.subject for mail in mailoutbox] == ["Nieuwe voordracht"]
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.SENT
