"""Log-in lockout page and session keep-alive (issue 9, "Log-in and sessions")."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from praktijkleren.ui.views import LoginView

LOCKOUT_STATUS = 429


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """django-axes' ``AXES_LOCKOUT_CALLABLE``: the log-in page again, status 429, with one
    message that is the same for an existing and an unknown user name (both are locked after
    ``LOGIN_FAILURE_LIMIT`` failures), so it never tells whether an account exists."""
    view = LoginView()
    view.setup(request)
    form = view.authentication_form(request)  # unbound: the user name is not shown again
    form.cleaned_data = {}  # add_error() expects it; an unbound form never cleans
    form.add_error(
        None,
        _(
            "Te veel mislukte pogingen om in te loggen. Inloggen is daarom %(minutes)d minuten "
            "geblokkeerd. Probeer het daarna opnieuw."
        )
        % {"minutes": settings.LOGIN_LOCKOUT_MINUTES},
    )
    response = view.render_to_response(view.get_context_data(form=form))
    response.status_code = LOCKOUT_STATUS
    return response.render()  # after the middleware that would render a TemplateResponse


@login_required
@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """POST by the session warning's button "Ingelogd blijven": answers 204; the request
    itself renews the session's idle time (``SESSION_SAVE_EVERY_REQUEST``)."""
    request.session.modified = True
    return HttpResponse(status=204)


def session_timing(request: HttpRequest) -> dict:
    """Template context for the session warning in ``base.html`` (read by
    static/js/session-timeout.js): ``session_idle_seconds``, ``session_warning_seconds`` and the
    same two in whole minutes (``session_idle_minutes``, ``session_warning_minutes``), and
    ``session_warning_message``: the warning's text, singular or plural for each number of
    minutes ("over 1 minuut", "over 2 minuten")."""
    idle = settings.SESSION_COOKIE_AGE // 60
    warning = max(1, settings.SESSION_WARNING_SECONDS // 60)
    message = " ".join(
        (
            ngettext(
                "U wordt over %(minutes)d minuut automatisch uitgelogd,",
                "U wordt over %(minutes)d minuten automatisch uitgelogd,",
                warning,
            )
            % {"minutes": warning},
            ngettext(
                "omdat u %(minutes)d minuut niets in het portaal hebt gedaan.",
                "omdat u %(minutes)d minuten niets in het portaal hebt gedaan.",
                idle,
            )
            % {"minutes": idle},
            _("Niet opgeslagen invoer gaat dan verloren."),
        )
    )
    return {
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
        "session_idle_minutes": idle,
        "session_warning_minutes": warning,
        "session_warning_message": message,
    }
