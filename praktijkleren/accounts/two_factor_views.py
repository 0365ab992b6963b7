"""The second log-in step (issue 9): set up an authenticator app at the first log-in, enter a
code (or a recovery code) at every later log-in, see the recovery codes once.

The password step is the portal's ``LoginView``; ``TwoFactorMiddleware`` then sends the user
here from every page. A refused code counts as a failed log-in for django-axes, so the password
and the code share one lockout (``LOGIN_FAILURE_LIMIT`` failures, per user name and address)."""

import io
from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from praktijkleren.accounts import services
from praktijkleren.accounts.forms import TwoFactorSetupForm, TwoFactorVerifyForm
from praktijkleren.accounts.selectors import totp_device_being_set_up, two_factor_configured
from praktijkleren.ui.forms import service_errors_add
from praktijkleren.ui.http import safe_next_url
from praktijkleren.ui.sessions import login_locked_out

# The recovery codes between the confirming POST and the page that shows them (once).
RECOVERY_CODES_SESSION_KEY = "two_factor_recovery_codes"


def _is_verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())


def _next(request: HttpRequest) -> str:
    return safe_next_url(request, reverse(settings.LOGIN_REDIRECT_URL))


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


def _step_passed(request: HttpRequest, device) -> None:
    """Mark the session verified by ``device`` and give it a new key (as the password step's
    ``login()`` did), so a session id seen before the second step is worth nothing after it."""
    django_otp.login(request, device)
    request.session.cycle_key()


def _secret_groups(device) -> str:
    """The device's key in base32 (what an app asks for when typed in), in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: the QR code (``two_factor_qr``) and the key as text for
    typing in, and a field for the first code. A correct code confirms the device, makes the
    recovery codes and completes the log-in; then the recovery codes page. A user who already
    has an app goes to the code page (a new app only after a reset by beheer)."""
    next_url = _next(request)
    if two_factor_configured(request.user):
        if _is_verified(request):
            return redirect(next_url)
        return redirect(_with_next(reverse("accounts:two_factor_verify"), next_url))
    device = services.totp_device_for_setup(user=request.user)
    form = TwoFactorSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.two_factor_confirm(
                user=request.user, token=form.cleaned_data["token"]
            )
        except ValidationError as exc:
            service_errors_add(form, exc)
        else:
            _step_passed(request, device)
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            return redirect(_with_next(reverse("accounts:two_factor_recovery_codes"), next_url))
    context = {
        "form": form,
        "secret": _secret_groups(device),
        "next_url": next_url,
        "issuer": settings.OTP_TOTP_ISSUER,
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@require_GET
def two_factor_qr(request: HttpRequest) -> HttpResponse:
    """The QR code (SVG, ``image/svg+xml``; drawn with paths and attributes only, so the CSP
    holds) of the user's app being set up: its ``otpauth://`` address with the key. 404 when
    the user sets nothing up. Not cached (``NoStoreMiddleware``): it carries the secret."""
    device = totp_device_being_set_up(request.user)
    if device is None:
        raise Http404
    out = io.BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage).save(out)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The code page of a log-in: a code from the app or a recovery code (used up). A refused
    code is a failed log-in for django-axes; at ``LOGIN_FAILURE_LIMIT`` failures (password and
    code together, per user name and per address) the user is logged out and the log-in page
    says it is locked (status 429), as it does for a locked-out user who comes back."""
    next_url = _next(request)
    if not two_factor_configured(request.user):
        return redirect(_with_next(reverse("accounts:two_factor_setup"), next_url))
    if _is_verified(request):
        return redirect(next_url)
    credentials = {"username": request.user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        logout(request)
        return login_locked_out(request)
    form = TwoFactorVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.two_factor_verify(user=request.user, token=form.cleaned_data["token"])
        if device is not None:
            _step_passed(request, device)
            return redirect(next_url)
        form.add_error(
            "token",
            ValidationError(
                _(
                    "Deze code klopt niet. Vul de 6 cijfers in die de app nu toont, of een "
                    "herstelcode die u nog niet hebt gebruikt."
                ),
                code="invalid_code",
            ),
        )
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return login_locked_out(request)
    context = {"form": form, "next_url": next_url}
    return render(request, "accounts/two_factor_verify.html", context)


@login_required
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes just made, shown once (taken from the session), with the instruction
    to store them; without new codes in the session, on to ``next``."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    next_url = _next(request)
    if not codes:
        return redirect(next_url)
    context = {"codes": codes, "next_url": next_url}
    return render(request, "accounts/two_factor_recovery_codes.html", context)
