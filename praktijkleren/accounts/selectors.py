"""Reads on accounts: the one helper that tells which organisation a user acts for.

Every selector, service and rule scopes through ``organisation_of``; nothing else reads
``user.organisation`` to decide what a user may see or do.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from django.contrib.auth.models import AnonymousUser
from django_otp.plugins.otp_totp.models import TOTPDevice

from praktijkleren.accounts.models import Organisation, User

# Whoever makes a request: a portal user, or an anonymous visitor.
PortalUser: TypeAlias = User | AnonymousUser


def organisation_of(user: Any) -> Organisation | None:
    """The organisation ``user`` acts for, or None for ``None`` (the system: a scheduled job),
    an anonymous visitor, or a user without an organisation (a superuser).

    One query at most: ``user.organisation`` is cached on the user object after the first call.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not getattr(user, "organisation_id", None):
        return None
    return user.organisation


def organisation_kind_of(user: Any) -> str | None:
    """The kind (``OrganisationKind`` value) of the organisation ``user`` acts for, or None."""
    organisation = organisation_of(user)
    return organisation.kind if organisation is not None else None


def two_factor_configured(user: Any) -> bool:
    """True when ``user`` has a confirmed TOTP device (the app that makes its log-in codes);
    False for anonymous visitors and for users who still have to set one up. One query."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def totp_device_being_set_up(user: Any) -> TOTPDevice | None:
    """The user's unconfirmed TOTP device (the app it is setting up), or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("pk").first()
