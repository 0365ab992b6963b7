"""Portal-wide pages: the home redirect, log-in and log-out.

The error pages are templates only (``templates/403.html``, ``404.html``, ``500.html``): Django's
default handlers render them; ``500.html`` is rendered without a request context."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.translation import ngettext

from praktijkleren.accounts.models import User
from praktijkleren.ui.forms import LoginForm
from praktijkleren.ui.navigation import start_url_name_for

DEMO_ACCOUNTS_SHOWN = 20


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send a logged-in user to its role's start page (see ``ui.navigation``).

    Anonymous visitors go to the log-in page (``login_required``). A user whose account has no
    role (no organisation and not staff) gets 403: there is nothing in the portal for them.
    """
    url_name = start_url_name_for(request.user)
    if url_name is None:
        raise PermissionDenied
    return redirect(url_name)


class LoginView(auth_views.LoginView):
    """Django's log-in view with our form (Utrecht markup through crispy-forms)."""

    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get(self, request, *args, **kwargs):
        """The page; with ``?reden=inactief`` (static/js/session-timeout.js sends the browser here
        when the session's idle time is up) a message says why the user was logged out."""
        if request.GET.get("reden") == "inactief" and not request.user.is_authenticated:
            minutes = settings.SESSION_COOKIE_AGE // 60
            messages.info(
                request,
                ngettext(
                    "U bent uitgelogd omdat u %(minutes)d minuut niets in het portaal hebt gedaan.",
                    "U bent uitgelogd omdat u %(minutes)d minuten niets in het portaal hebt "
                    "gedaan.",
                    minutes,
                )
                % {"minutes": minutes},
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        """Adds ``demo_accounts`` (active demo users with their organisation) in demo mode only."""
        context = super().get_context_data(**kwargs)
        context["demo_accounts"] = (
            User.objects.filter(is_demo=True, is_active=True, username__startswith="demo-")
            .select_related("organisation")
            .order_by("organisation__kind", "username")[:DEMO_ACCOUNTS_SHOWN]
            if settings.DEMO_USERS_ALLOWED
            else []
        )
        return context


class LogoutView(auth_views.LogoutView):
    """Django's log-out view: POST only, then to ``LOGOUT_REDIRECT_URL`` (the log-in page)."""


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """``/favicon.ico``, which browsers and tools ask for unprompted: a temporary (302) redirect
    to the portal's icon, ``static/favicon.svg`` under its hashed name (every page also links
    it), so that no console shows a 404. Temporary, because the hashed name changes with it."""
    return HttpResponseRedirect(static("favicon.svg"))
