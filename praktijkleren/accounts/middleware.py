"""The absolute end of a session: ``settings.SESSION_MAX_HOURS`` after the log-in; and the
second log-in step that every page waits for (``TwoFactorMiddleware``).

The idle end needs no code: the session cookie's age is ``SESSION_IDLE_MINUTES`` and is renewed
on every request (``SESSION_SAVE_EVERY_REQUEST``)."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from praktijkleren.accounts.selectors import two_factor_configured

LOGGED_IN_AT = "logged_in_at"


@receiver(user_logged_in, dispatch_uid="accounts.session_login_time")
def _remember_login_time(sender, request, user, **kwargs) -> None:
    """Store the log-in moment (seconds since the epoch) in the new session."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGGED_IN_AT] = int(time.time())


class SessionLifetimeMiddleware:
    """Log out a user whose log-in is older than ``SESSION_MAX_HOURS`` and send them to the
    log-in page with a message saying why (and the page they asked for as ``next``).

    A logged-in session without a log-in moment (made before this middleware) gets one now."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            logged_in_at = request.session.get(LOGGED_IN_AT)
            now = int(time.time())
            if logged_in_at is None:
                request.session[LOGGED_IN_AT] = now
            elif now - logged_in_at >= settings.SESSION_MAX_HOURS * 3600:
                logout(request)
                messages.info(
                    request,
                    _(
                        "U bent uitgelogd omdat u langer dan %(hours)d uur was ingelogd. "
                        "Log opnieuw in om verder te gaan."
                    )
                    % {"hours": settings.SESSION_MAX_HOURS},
                )
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


# URL names an unverified user may still reach: the second step itself, the log-out (the
# portal's and the admin's), the session keep-alive and the public pages that need no log-in.
TWO_FACTOR_OPEN = frozenset(
    {
        "accounts:two_factor_setup",
        "accounts:two_factor_qr",
        "accounts:two_factor_verify",
        "logout",
        "admin:logout",
        "session_keep_alive",
        "health",
        "trajecten:verify",
    }
)


def two_factor_pending(request: HttpRequest) -> bool:
    """True when ``settings.TWO_FACTOR_REQUIRED`` and the request's user logged in with a
    password but has not passed the second step in this session (django-otp's
    ``OTPMiddleware`` sets ``user.is_verified``; without it the user counts as unverified)."""
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (callable(is_verified) and is_verified())


def two_factor_step_url(user) -> str:
    """Where an unverified user goes: the code page when it has an authenticator app set up,
    else the page that sets one up."""
    if two_factor_configured(user):
        return reverse("accounts:two_factor_verify")
    return reverse("accounts:two_factor_setup")


class TwoFactorMiddleware:
    """While ``two_factor_pending``, every view except ``TWO_FACTOR_OPEN`` (the portal's pages
    and the admin alike) answers with a redirect to the second step; a GET passes the page asked
    for as ``next``, an htmx request gets ``HX-Redirect``. Sits after django-otp's
    ``OTPMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not two_factor_pending(request):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in TWO_FACTOR_OPEN:
            return None
        url = two_factor_step_url(request.user)
        if request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)
