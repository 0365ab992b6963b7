"""Scheduled jobs of the flow. Thin: each calls a service."""

from celery import shared_task

from candidates.services import flow_close_due


@shared_task(name="candidates.close_due", ignore_result=True)
def close_due() -> dict[str, int]:
    """Move on what is due now (``candidates.services.flow_close_due``): leerbanen past their
    closing date become verlopen, full ones vervuld, and voordrachten that can no longer go
    anywhere or were not answered in time expire. Run by beat every 15 minutes and just after
    midnight (``CELERY_BEAT_SCHEDULE``). Returns the counts."""
    return flow_close_due()
