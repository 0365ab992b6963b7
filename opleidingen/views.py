"""The consultants' search of the opleidingsaanbod, and the school's pages for its own offer:
its aanbod with locations and start moments (``/aanbod/``), scoped to its own instelling
(another school's aanbod or start moment is a 404)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from opleidingen import selectors, services
from opleidingen.forms import AanbodForm, AanbodSearchForm, StartMomentForm
from opleidingen.models import MboLocatie
from praktijkleren.ui.forms import service_errors_add

CHANGE = "opleidingen.change_opleidingsaanbod"


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


@require_GET
@login_required
@permission_required(CHANGE, raise_exception=True)
def aanbod_list(request):
    """The school's own opleidingsaanbod: per kwalificatie and leerweg its locations and start
    moments with the places taken of the capacity (``selectors.aanbod_of``)."""
    instelling = services.instelling_of(request.user)
    aanbod = selectors.aanbod_of(instelling=instelling) if instelling else []
    return render(
        request, "opleidingen/aanbod_list.html", {"instelling": instelling, "aanbod": aanbod}
    )


def _list_url() -> str:
    return reverse("opleidingen:aanbod_list")


def _form_page(
    request: HttpRequest,
    *,
    form: Any,
    title: str,
    save: Callable[[], Any],
    success: str,
    intro: str = "",
) -> HttpResponse:
    """A form page of the school's offer: on a valid POST call ``save`` (a service), its
    refusals on the form's fields; on success back to the list with ``success``."""
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as exc:
            service_errors_add(form, exc)
        else:
            messages.success(request, success)
            return redirect(_list_url())
    context = {
        "form": form,
        "title": title,
        "intro": intro,
        "back_url": _list_url(),
        "breadcrumbs": [(_("Opleidingsaanbod"), _list_url()), (title, "")],
    }
    return render(request, "opleidingen/aanbod_form.html", context)


def _own_locaties(instelling: Any) -> Any:
    return MboLocatie.objects.filter(instelling=instelling).order_by("naam", "brinvest")


@login_required
@permission_required(CHANGE, raise_exception=True)
def aanbod_create(request):
    """The school adds a kwalificatie it offers, in a leerweg, at its own locations."""
    instelling = services.instelling_of(request.user)
    if instelling is None:
        raise Http404
    form = AanbodForm(request.POST or None, locaties=_own_locaties(instelling))

    def save() -> Any:
        return services.aanbod_save(by=request.user, **form.cleaned_data)

    return _form_page(
        request,
        form=form,
        title=str(_("Opleidingsaanbod toevoegen")),
        save=save,
        success=str(_("Het opleidingsaanbod is toegevoegd.")),
    )


@login_required
@permission_required(CHANGE, raise_exception=True)
def aanbod_edit(request, pk: int):
    """The school changes one of its aanbod (kwalificatie, leerweg, locations)."""
    aanbod = get_object_or_404(
        selectors.aanbod_visible_to(user=request.user).select_related("kwalificatie"), pk=pk
    )
    initial = {
        "kwalificatie": aanbod.kwalificatie,
        "leerweg": aanbod.leerweg,
        "locaties": list(aanbod.locaties.all()),
    }
    form = AanbodForm(
        request.POST or None, initial=initial, locaties=_own_locaties(aanbod.instelling_id)
    )

    def save() -> Any:
        return services.aanbod_save(by=request.user, aanbod=aanbod, **form.cleaned_data)

    return _form_page(
        request,
        form=form,
        title=str(_("Opleidingsaanbod wijzigen")),
        intro=aanbod.kwalificatie.choice_label(),
        save=save,
        success=str(_("Het opleidingsaanbod is gewijzigd.")),
    )


@login_required
@permission_required(CHANGE, raise_exception=True)
def startmoment_create(request, pk: int):
    """The school adds a start moment (date, places) to one of its aanbod."""
    aanbod = get_object_or_404(
        selectors.aanbod_visible_to(user=request.user).select_related("kwalificatie"), pk=pk
    )
    form = StartMomentForm(request.POST or None)

    def save() -> Any:
        return services.startmoment_save(by=request.user, aanbod=aanbod, **form.cleaned_data)

    return _form_page(
        request,
        form=form,
        title=str(_("Startmoment toevoegen")),
        intro=f"{aanbod.kwalificatie.choice_label()}, {aanbod.leerweg}",
        save=save,
        success=str(_("Het startmoment is toegevoegd.")),
    )


@login_required
@permission_required(CHANGE, raise_exception=True)
def startmoment_edit(request, pk: int):
    """The school changes a start moment's date or places (never below the places taken)."""
    startmoment = get_object_or_404(selectors.startmomenten_visible_to(user=request.user), pk=pk)
    initial = {"start_date": startmoment.start_date, "capacity": startmoment.capacity}
    form = StartMomentForm(request.POST or None, initial=initial)

    def save() -> Any:
        return services.startmoment_save(
            by=request.user, startmoment=startmoment, **form.cleaned_data
        )

    aanbod = startmoment.aanbod
    return _form_page(
        request,
        form=form,
        title=str(_("Startmoment wijzigen")),
        intro=str(
            _("%(aanbod)s, %(leerweg)s: %(taken)d plaatsen bezet.")
            % {
                "aanbod": aanbod.kwalificatie.choice_label(),
                "leerweg": aanbod.leerweg,
                "taken": startmoment.places_taken,
            }
        ),
        save=save,
        success=str(_("Het startmoment is gewijzigd.")),
    )


@login_required
@permission_required(CHANGE, raise_exception=True)
def startmoment_delete(request, pk: int):
    """GET: confirm; POST: delete a start moment of the school's (refused while places are
    taken or an enrolment names it)."""
    startmoment = get_object_or_404(selectors.startmomenten_visible_to(user=request.user), pk=pk)
    if request.method == "POST":
        try:
            services.startmoment_delete(by=request.user, startmoment=startmoment)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Het startmoment is verwijderd."))
        return redirect(_list_url())
    title = _("Startmoment van %(datum)s verwijderen") % {
        "datum": date_format(startmoment.start_date, "j F Y")
    }
    context = {
        "startmoment": startmoment,
        "title": title,
        "back_url": _list_url(),
        "breadcrumbs": [(_("Opleidingsaanbod"), _list_url()), (title, "")],
    }
    return render(request, "opleidingen/startmoment_delete.html", context)
