"""The organisation administrator's access log: who of its users saw which candidate."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from praktijkleren.accounts.filters import AccessLogFilter
from praktijkleren.accounts.models import AccessLog
from praktijkleren.accounts.pages import page_label
from praktijkleren.accounts.selectors import organisation_of

ACCESS_PAGE_SIZE = 50


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    """The access log of the user's organisation, newest first, 50 a page: when, which of its
    users, which action on which page (its Dutch name: ``pages.page_label``), which candidate
    (by number: the log holds no names) and from which address. Only for an organisation
    administrator (else 403); it shows only the entries of the organisation's own users,
    filtered by candidate number, user, action, result and date (``AccessLogFilter``, GET)."""
    organisation = organisation_of(request.user)
    if organisation is None or not getattr(request.user, "is_organisation_admin", False):
        raise PermissionDenied
    entries = (
        AccessLog.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-at", "-pk")
    )
    access_filter = AccessLogFilter(
        request.GET or None, queryset=entries, organisation=organisation
    )
    page = Paginator(access_filter.qs, ACCESS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": access_filter,
        "page": page,
        "organisation": organisation,
        "headers": ACCESS_HEADERS,
        "rows": [_access_row(entry) for entry in page.object_list],
    }
    return render(request, "accounts/access_log.html", context)


ACCESS_HEADERS = [
    _("Wanneer"),
    _("Wie"),
    _("Handeling"),
    _("Pagina"),
    _("Kandidaatnummer"),
    _("Resultaat"),
    _("Herkomst"),
]


def _access_row(entry: AccessLog) -> list:
    """One row of the access log's table (the shared ``components/_table.html``)."""
    who = entry.user.get_full_name() if entry.user else ""
    return [
        date_format(timezone.localtime(entry.at), "j b Y H:i:s"),
        who or entry.username,
        entry.get_action_display(),
        page_label(entry.view),
        entry.candidate_id,
        entry.get_result_display(),
        entry.origin or "—",
    ]
