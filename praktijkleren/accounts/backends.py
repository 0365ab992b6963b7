"""Authentication: Django's model backend, refusing demo accounts where demo is off."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class PortalModelBackend(ModelBackend):
    """Refuses demo accounts (``User.is_demo``) unless ``settings.DEMO_USERS_ALLOWED``.

    Production settings force ``DEMO_USERS_ALLOWED`` off, so the printed demo password is
    worthless there even if the demo data were loaded.
    """

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEMO_USERS_ALLOWED:
            return False
        return super().user_can_authenticate(user)
