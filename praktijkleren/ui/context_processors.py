"""Template context for every page."""

from django.conf import settings


def portal(request) -> dict:
    """``demo_mode``: true where demo accounts may log in (shows the demo banner)."""
    return {"demo_mode": settings.DEMO_USERS_ALLOWED}
