"""Pages of the notification layer: the notification centre, a user's preferences, and for an
organisation's administrator the webhook settings and the delivery log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from praktijkleren.accounts.models import Organisation
from praktijkleren.accounts.selectors import organisation_of
from praktijkleren.notifications import selectors, services, webhooks
from praktijkleren.notifications.errors import exception_explain
from praktijkleren.notifications.forms import DeliveryLogFilter, PreferencesForm, WebhookForm
from praktijkleren.notifications.models import WebhookEndpoint
from praktijkleren.ui.http import redirect_back

PAGE_SIZE = 25
LOG_PAGE_SIZE = 50


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notification centre: its notifications, newest first, 25 a page."""
    queryset = selectors.notifications_of(user=request.user)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to its object's page."""
    notification = get_object_or_404(selectors.notifications_of(user=request.user), pk=pk)
    services.notification_mark_read(notification=notification, user=request.user)
    return redirect(notification.event.path)


@login_required
@require_POST
def notification_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read without opening it."""
    notification = get_object_or_404(selectors.notifications_of(user=request.user), pk=pk)
    services.notification_mark_read(notification=notification, user=request.user)
    messages.success(request, _("De melding is gemarkeerd als gelezen."))
    return redirect_back(request, "/meldingen/")


@login_required
@require_POST
def notifications_mark_all_read(request: HttpRequest) -> HttpResponse:
    """Mark every unread notification of the user read."""
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(n)d meldingen gemarkeerd als gelezen.") % {"n": count})
    return redirect("notifications:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """How the user hears of each event its role receives: at once, in the daily digest or not
    at all ("not" is not offered for events the role must act on)."""
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Uw voorkeuren zijn bewaard."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


def _administered(request: HttpRequest) -> Organisation:
    """The organisation ``request.user`` administers; ``PermissionDenied`` when none."""
    organisation = organisation_of(request.user)
    if organisation is None or not getattr(request.user, "is_organisation_admin", False):
        raise PermissionDenied
    return organisation


@login_required
def organisation_settings(request: HttpRequest) -> HttpResponse:
    """The organisation administrator's settings: the webhook endpoint (address and secret),
    a test call, and the way to the delivery log."""
    organisation = _administered(request)
    endpoint = WebhookEndpoint.objects.filter(organisation=organisation).first()
    form = WebhookForm(request.POST or None, instance=endpoint)
    if request.method == "POST" and form.is_valid():
        saved = form.save(organisation=organisation)
        messages.success(request, _("De webhook naar %(url)s is bewaard.") % {"url": saved.url})
        return redirect("notifications:organisation_settings")
    context = {"form": form, "endpoint": endpoint, "organisation": organisation}
    return render(request, "notifications/organisation_settings.html", context)


@login_required
@require_POST
def webhook_test(request: HttpRequest) -> HttpResponse:
    """Send a signed test CloudEvent to the organisation's endpoint now and say how it went."""
    organisation = _administered(request)
    endpoint = get_object_or_404(WebhookEndpoint, organisation=organisation)
    try:
        status = webhooks.webhook_test_send(endpoint=endpoint)
    except (webhooks.WebhookRetry, webhooks.WebhookRejected, webhooks.WebhookGone) as exc:
        messages.error(
            request, _("De test is niet aangekomen. %(fout)s") % {"fout": exception_explain(exc)}
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("De test is aangekomen (HTTP %(status)d).") % {"status": status}
        )
    return redirect("notifications:organisation_settings")


@login_required
@require_POST
def webhook_secret_renew(request: HttpRequest) -> HttpResponse:
    """Give the organisation's endpoint a new secret (the old one stops working at once)."""
    organisation = _administered(request)
    endpoint = get_object_or_404(WebhookEndpoint, organisation=organisation)
    endpoint.secret = webhooks.secret_generate()
    endpoint.save(update_fields=["secret", "updated_at"])
    messages.success(request, _("Er is een nieuw geheim gemaakt; pas het aan bij de ontvanger."))
    return redirect("notifications:organisation_settings")


@login_required
@require_POST
def webhook_disable(request: HttpRequest) -> HttpResponse:
    """Turn the organisation's endpoint off: no webhooks are written for it until it is turned
    on again, and rows still waiting for it fail ("stond uit")."""
    organisation = _administered(request)
    reason = _("Uitgezet door %(naam)s op %(datum)s.") % {
        "naam": request.user.get_full_name() or request.user.get_username(),
        "datum": date_format(timezone.localtime(), "j F Y, H:i"),
    }
    WebhookEndpoint.objects.filter(organisation=organisation, is_active=True).update(
        is_active=False,
        disabled_at=timezone.now(),
        disabled_reason=reason[:200],
        updated_at=timezone.now(),
    )
    messages.success(request, _("De webhook staat uit."))
    return redirect("notifications:organisation_settings")


@login_required
@require_POST
def webhook_enable(request: HttpRequest) -> HttpResponse:
    """Turn the organisation's endpoint on again (after a 410 turned it off)."""
    organisation = _administered(request)
    WebhookEndpoint.objects.filter(organisation=organisation).update(
        is_active=True, disabled_at=None, disabled_reason="", updated_at=timezone.now()
    )
    messages.success(request, _("De webhook staat weer aan."))
    return redirect("notifications:organisation_settings")


@login_required
def delivery_log(request: HttpRequest) -> HttpResponse:
    """The organisation's delivery log: every message to it or its people, by channel and
    status, with attempts and the last error; failed ones can be sent again."""
    organisation = _administered(request)
    log_filter = DeliveryLogFilter(
        request.GET, queryset=selectors.delivery_log_of(organisation=organisation)
    )
    page = Paginator(log_filter.qs, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter": log_filter, "page": page, "organisation": organisation}
    return render(request, "notifications/delivery_log.html", context)


@login_required
@require_POST
def delivery_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """Send one failed message of the organisation's log again."""
    organisation = _administered(request)
    messages_qs = selectors.delivery_log_of(organisation=organisation).filter(pk=pk)
    get_object_or_404(messages_qs)
    if services.outbox_resend(messages=messages_qs):
        messages.success(request, _("De melding wordt opnieuw verstuurd."))
    else:
        messages.error(request, _("Alleen een mislukte melding kan opnieuw worden verstuurd."))
    return redirect_back(request, "/organisatie/meldingen/logboek/")
