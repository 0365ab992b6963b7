"""Scheduled jobs of accounts. Thin: each calls a service."""

from celery import shared_task

from praktijkleren.accounts.purge import axes_records_purge


@shared_task(name="accounts.axes_records_purge", ignore_result=True)
def axes_records_purge_task() -> dict[str, int]:
    """Delete django-axes' log-in attempt records older than ``AXES_RECORDS_RETENTION_DAYS``
    (``axes_records_purge``); beat runs it daily at 03:30. Returns the rows deleted per model."""
    return axes_records_purge()
