"""Template context for every page."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from praktijkleren.accounts.middleware import two_factor_pending
from praktijkleren.notifications.selectors import unread_count
from praktijkleren.ui.navigation import nav_items_for


def portal(request) -> dict:
    """``demo_mode``: true where demo accounts may log in (shows the demo banner);
    ``portal_nav``: the visitor's main-menu links (``NavItem`` tuples, see ``ui.navigation``);
    ``unread_notifications``: how many of the visitor's notifications are unread (counted once,
    when a template first asks); ``two_factor_pending``: the visitor still has to pass the second
    log-in step (no menu and no notifications link then)."""
    user = getattr(request, "user", None)
    pending = two_factor_pending(request)
    return {
        "demo_mode": settings.DEMO_USERS_ALLOWED,
        "two_factor_pending": pending,
        "portal_nav": nav_items_for(user) if user is not None and not pending else (),
        "unread_notifications": SimpleLazyObject(
            lambda: unread_count(user=user) if user is not None else 0
        ),
    }
