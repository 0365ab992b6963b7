"""Praktijkleren: the project package. Exports the Celery app so that shared_task binds to it."""

from praktijkleren.celery import app as celery_app

__all__ = ("celery_app",)
