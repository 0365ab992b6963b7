"""The absolute end of a session: ``settings.SESSION_MAX_HOURS`` after the log-in.

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
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

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
