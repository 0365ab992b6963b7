"""django-axes' records of log-in attempts (user name and address: personal data) are deleted
after AXES_RECORDS_RETENTION_DAYS by a daily beat job; a running lockout is never lifted."""

import datetime as dt
import itertools

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django.urls import reverse
from django.utils import timezone

from praktijkleren.accounts.purge import axes_records_purge
from praktijkleren.accounts.tasks import axes_records_purge_task

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC)
_addresses = (f"192.0.2.{n}" for n in itertools.count(1))


def _aged(model, days: float, **fields):
    """A record of ``model`` whose attempt was ``days`` before NOW."""
    record = model.objects.create(
        user_agent="browser", ip_address=next(_addresses), username="jan@gemeente.example", **fields
    )
    model.objects.filter(pk=record.pk).update(attempt_time=NOW - dt.timedelta(days=days))
    return record


def _attempt(days: float):
    return _aged(AccessAttempt, days, get_data="", post_data="", failures_since_start=5)


def test_records_older_than_the_retention_go_and_newer_ones_stay(settings):
    settings.AXES_RECORDS_RETENTION_DAYS = 30
    old = [_attempt(31), _aged(AccessFailureLog, 45), _aged(AxesAccessLog, 30.01)]
    kept = [_attempt(29), _aged(AccessFailureLog, 1), _aged(AxesAccessLog, 29.9)]

    deleted = axes_records_purge(now=NOW, batch_size=1)

    assert deleted == {"AccessAttempt": 1, "AccessFailureLog": 1, "AccessLog": 1}
    for record in old:
        assert not type(record).objects.filter(pk=record.pk).exists()
    for record in kept:
        assert type(record).objects.filter(pk=record.pk).exists()
    # A second run changes nothing.
    assert axes_records_purge(now=NOW) == {
        "AccessAttempt": 0,
        "AccessFailureLog": 0,
        "AccessLog": 0,
    }


def test_many_records_go_in_batches(settings):
    settings.AXES_RECORDS_RETENTION_DAYS = 30
    for _ in range(7):
        _aged(AccessFailureLog, 40)
    assert axes_records_purge(now=NOW, batch_size=3)["AccessFailureLog"] == 7
    assert not AccessFailureLog.objects.exists()


def test_a_running_lockout_is_kept_whatever_the_retention(settings):
    settings.AXES_RECORDS_RETENTION_DAYS = 0
    settings.AXES_COOLOFF_TIME = dt.timedelta(hours=1)
    running = _attempt(0.5 / 24)  # half an hour ago
    over = _attempt(2 / 24)
    axes_records_purge(now=NOW)
    assert AccessAttempt.objects.filter(pk=running.pk).exists()
    assert not AccessAttempt.objects.filter(pk=over.pk).exists()


def test_real_failed_log_ins_are_purged_after_the_retention(client, settings):
    settings.AXES_RECORDS_RETENTION_DAYS = 30
    client.post(reverse("login"), {"username": "iemand", "password": "fout"})
    assert AccessAttempt.objects.count() == 1
    assert axes_records_purge()["AccessAttempt"] == 0
    assert axes_records_purge(now=timezone.now() + dt.timedelta(days=31))["AccessAttempt"] == 1
    assert not AccessAttempt.objects.exists()


def test_the_task_purges_and_beat_runs_it_daily(settings):
    settings.AXES_RECORDS_RETENTION_DAYS = 30
    _aged(AccessFailureLog, 10_000)
    assert axes_records_purge_task()["AccessFailureLog"] == 1
    entry = settings.CELERY_BEAT_SCHEDULE["axes-records-purge"]
    assert entry["task"] == "accounts.axes_records_purge"
    assert entry["schedule"].hour == {3}
    assert entry["schedule"].minute == {30}
    assert settings.AXES_RECORDS_RETENTION_DAYS == 30
