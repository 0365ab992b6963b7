"""Leerbanen lists for employers (their own) and consultants (the open ones), and the
employer's erkenningen.

The page of one leerbaan shows the candidates who fit, so it lives in ``candidates.views``."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from rules.contrib.views import permission_required

from leerbedrijven import selectors
from praktijkleren.accounts.rules import is_werkgever

PAGE_SIZE = 25


@login_required
@permission_required("leerbedrijven.view_leerbaan", raise_exception=True)
def leerbaan_list(request):
    """A werkgever's own leerbanen (every status); for consultants the open leerbanen."""
    queryset = selectors.leerbanen_with_erkenning_end(
        selectors.leerbanen_visible_to(user=request.user)
    ).select_related("leerbedrijf", "kwalificatie", "vestiging__postcode")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "leerbedrijven/leerbaan_list.html",
        {"page": page, "is_werkgever": is_werkgever(request.user)},
    )


@login_required
@permission_required("leerbedrijven.view_erkenning", raise_exception=True)
def erkenning_list(request):
    """The werkgever's erkenningen (every leerbedrijf of its organisation, also ended periods):
    kwalificatie, leerweg, period, the werkprocessen covered, and a flag on those that end
    within 90 days. Constant queries: the flags are annotated, the werkprocessen prefetched."""
    queryset = (
        selectors.erkenningen_with_flags(selectors.erkenningen_visible_to(user=request.user))
        .select_related("leerbedrijf", "kwalificatie")
        .prefetch_related("werkprocessen")
        .order_by("leerbedrijf__naam", "kwalificatie__naam", "leerweg", "-geldig_van", "pk")
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "leerbedrijven/erkenning_list.html",
        {"page": page, "today": selectors.closing_today()},
    )
