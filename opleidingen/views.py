"""The consultants' search of the opleidingsaanbod."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from opleidingen import selectors
from opleidingen.forms import AanbodSearchForm


@require_GET
@login_required
@permission_required("opleidingen.view_opleidingsaanbod", raise_exception=True)
def aanbod_search(request):
    """Which mbo-instellingen near a postcode offer a kwalificatie in BBL: nearest location
    first, with its distance and address and the next start moment with its places
    (``selectors.aanbod_near``). Without a search only the form."""
    form = AanbodSearchForm(request.GET or None)
    results = None
    if form.is_valid():
        postcode = form.cleaned_data["postcode"]
        results = selectors.aanbod_near(
            kwalificatie=form.cleaned_data["kwalificatie"],
            lat=postcode.lat,
            lon=postcode.lon,
            on_date=timezone.localdate(),
        )
    return render(
        request,
        "opleidingen/aanbod_search.html",
        {"form": form, "results": results, "radius": selectors.SEARCH_RADIUS_KM},
    )
