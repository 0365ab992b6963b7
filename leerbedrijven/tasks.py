"""Scheduled jobs of leerbedrijven. Thin: each calls a service."""

from celery import shared_task

from leerbedrijven.services import leerbaan_reminders_send


@shared_task(name="leerbedrijven.reminders_send", ignore_result=True)
def reminders_send() -> int:
    """Remind werkgevers of leerbanen that close in 7 days or tomorrow
    (``leerbaan_reminders_send``); beat runs it daily at 08:00. Returns how many."""
    return leerbaan_reminders_send()
