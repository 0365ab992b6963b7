"""The werkgever's leerbedrijf: its data, vestigingen, contact persons and praktijkopleiders.

Every view finds its object among those of the user's own organisation (the selectors'
``*_owned_by``): another organisation's object is a 404. The profile page itself, which shows
each praktijkopleider's current candidates, is composed in ``candidates.views``."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from leerbedrijven import selectors, services
from leerbedrijven.forms import (
    ContactPersonForm,
    LeerbedrijfForm,
    PraktijkopleiderForm,
    VestigingForm,
)
from leerbedrijven.models import Leerbedrijf
from praktijkleren.ui.forms import service_errors_add


def _form_page(
    request: HttpRequest,
    *,
    form: forms.BaseForm,
    leerbedrijf: Leerbedrijf,
    title: str,
    submit: str,
    save: Callable[[], Any],
    success: str,
    anchor: str,
    intro: str = "",
) -> HttpResponse:
    """GET: the form page; POST: validate, ``save()`` through the service, then back to the
    profile (at ``anchor``) with ``success`` as message, or the form again with its errors."""
    back_url = f"{leerbedrijf.get_absolute_url()}#{anchor}"
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as exc:
            service_errors_add(form, exc)
        else:
            messages.success(request, success)
            return redirect(back_url)
    context = {
        "form": form,
        "leerbedrijf": leerbedrijf,
        "title": title,
        "submit": submit,
        "intro": intro,
        "back_url": back_url,
        "breadcrumbs": _breadcrumbs(leerbedrijf, title),
    }
    return render(request, "leerbedrijven/form.html", context)


def _breadcrumbs(leerbedrijf: Leerbedrijf, title: str) -> list[tuple[str, str]]:
    return [(leerbedrijf.naam, leerbedrijf.get_absolute_url()), (title, "")]


@login_required
@permission_required("leerbedrijven.view_leerbedrijf", raise_exception=True)
def leerbedrijf_list(request: HttpRequest) -> HttpResponse:
    """ "Mijn leerbedrijf": the organisation's leerbedrijven; with just one, its profile."""
    leerbedrijven = list(
        selectors.leerbedrijven_owned_by(user=request.user).annotate(
            vestiging_count=Count("vestigingen", distinct=True)
        )
    )
    if len(leerbedrijven) == 1:
        return redirect(leerbedrijven[0])
    return render(request, "leerbedrijven/leerbedrijf_list.html", {"leerbedrijven": leerbedrijven})


@login_required
@permission_required("leerbedrijven.change_leerbedrijf", raise_exception=True)
def leerbedrijf_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the leerbedrijf's naam, KvK-nummer, SBB leerbedrijf-id and website."""
    leerbedrijf = get_object_or_404(selectors.leerbedrijven_owned_by(user=request.user), pk=pk)
    form = LeerbedrijfForm(request.POST or None, instance=leerbedrijf)
    return _form_page(
        request,
        form=form,
        leerbedrijf=leerbedrijf,
        title=_("Gegevens van %(naam)s wijzigen") % {"naam": leerbedrijf.naam},
        submit=_("Opslaan"),
        save=lambda: services.leerbedrijf_update(
            leerbedrijf=leerbedrijf, by=request.user, data=form.cleaned_data
        ),
        success=_("De gegevens van het leerbedrijf zijn opgeslagen."),
        anchor="gegevens",
    )


@login_required
@permission_required("leerbedrijven.change_leerbedrijf", raise_exception=True)
def vestiging_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a vestiging to the leerbedrijf."""
    leerbedrijf = get_object_or_404(selectors.leerbedrijven_owned_by(user=request.user), pk=pk)
    form = VestigingForm(request.POST or None)
    return _form_page(
        request,
        form=form,
        leerbedrijf=leerbedrijf,
        title=_("Vestiging toevoegen"),
        submit=_("Vestiging toevoegen"),
        save=lambda: services.vestiging_create(
            leerbedrijf=leerbedrijf, by=request.user, data=form.service_data()
        ),
        success=_("De vestiging is toegevoegd."),
        anchor="vestigingen",
    )


@login_required
@permission_required("leerbedrijven.change_leerbedrijf", raise_exception=True)
def vestiging_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a vestiging's naam, vestigingsnummer and address."""
    vestiging = get_object_or_404(
        selectors.vestigingen_owned_by(user=request.user).select_related("leerbedrijf"), pk=pk
    )
    form = VestigingForm(request.POST or None, instance=vestiging)
    return _form_page(
        request,
        form=form,
        leerbedrijf=vestiging.leerbedrijf,
        title=_("Vestiging %(naam)s wijzigen") % {"naam": vestiging.naam},
        submit=_("Opslaan"),
        save=lambda: services.vestiging_update(
            vestiging=vestiging, by=request.user, data=form.service_data()
        ),
        success=_("De vestiging is opgeslagen."),
        anchor="vestigingen",
    )


@login_required
@permission_required("leerbedrijven.change_leerbedrijf", raise_exception=True)
def contactperson_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a contact person to the leerbedrijf."""
    leerbedrijf = get_object_or_404(selectors.leerbedrijven_owned_by(user=request.user), pk=pk)
    form = ContactPersonForm(request.POST or None)
    return _form_page(
        request,
        form=form,
        leerbedrijf=leerbedrijf,
        title=_("Contactpersoon toevoegen"),
        submit=_("Contactpersoon toevoegen"),
        save=lambda: services.contactperson_create(
            leerbedrijf=leerbedrijf, by=request.user, data=form.cleaned_data
        ),
        success=_("De contactpersoon is toegevoegd."),
        anchor="contactpersonen",
    )


@login_required
@permission_required("leerbedrijven.change_leerbedrijf", raise_exception=True)
def contactperson_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a contact person."""
    contactperson = get_object_or_404(
        selectors.contactpersonen_owned_by(user=request.user).select_related("leerbedrijf"), pk=pk
    )
    form = ContactPersonForm(request.POST or None, instance=contactperson)
    return _form_page(
        request,
        form=form,
        leerbedrijf=contactperson.leerbedrijf,
        title=_("Contactpersoon %(naam)s wijzigen") % {"naam": contactperson.naam},
        submit=_("Opslaan"),
        save=lambda: services.contactperson_update(
            contactperson=contactperson, by=request.user, data=form.cleaned_data
        ),
        success=_("De contactpersoon is opgeslagen."),
        anchor="contactpersonen",
    )


@login_required
@permission_required("leerbedrijven.change_leerbedrijf", raise_exception=True)
def contactperson_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: ask to confirm; POST: remove the contact person."""
    contactperson = get_object_or_404(
        selectors.contactpersonen_owned_by(user=request.user).select_related("leerbedrijf"), pk=pk
    )
    leerbedrijf = contactperson.leerbedrijf
    back_url = f"{leerbedrijf.get_absolute_url()}#contactpersonen"
    if request.method == "POST":
        services.contactperson_delete(contactperson=contactperson, by=request.user)
        messages.success(
            request, _("Contactpersoon %(naam)s is verwijderd.") % {"naam": contactperson.naam}
        )
        return redirect(back_url)
    title = _("Contactpersoon %(naam)s verwijderen") % {"naam": contactperson.naam}
    context = {
        "contactperson": contactperson,
        "leerbedrijf": leerbedrijf,
        "back_url": back_url,
        "breadcrumbs": _breadcrumbs(leerbedrijf, title),
    }
    return render(request, "leerbedrijven/contactperson_delete.html", context)


def _praktijkopleider_intro(leerbedrijf: Leerbedrijf) -> str:
    """What is missing before a praktijkopleider can be added, or ""."""
    if not leerbedrijf.vestigingen.exists():
        return _("Voeg eerst een vestiging toe: een praktijkopleider werkt op een vestiging.")
    if not selectors.kwalificaties_erkend_from(leerbedrijf=leerbedrijf).exists():
        return _(
            "Het leerbedrijf heeft geen erkenning (BBL) die vandaag of later geldt: een "
            "praktijkopleider kan dan geen kwalificaties begeleiden."
        )
    return ""


@login_required
@permission_required("leerbedrijven.change_leerbedrijf", raise_exception=True)
def praktijkopleider_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a praktijkopleider to the leerbedrijf."""
    leerbedrijf = get_object_or_404(selectors.leerbedrijven_owned_by(user=request.user), pk=pk)
    form = PraktijkopleiderForm(request.POST or None, leerbedrijf=leerbedrijf)
    return _form_page(
        request,
        form=form,
        leerbedrijf=leerbedrijf,
        title=_("Praktijkopleider toevoegen"),
        submit=_("Praktijkopleider toevoegen"),
        save=lambda: services.praktijkopleider_create(
            leerbedrijf=leerbedrijf, by=request.user, data=form.cleaned_data
        ),
        success=_("De praktijkopleider is toegevoegd."),
        anchor="praktijkopleiders",
        intro=_praktijkopleider_intro(leerbedrijf),
    )


@login_required
@permission_required("leerbedrijven.change_leerbedrijf", raise_exception=True)
def praktijkopleider_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a praktijkopleider: contact details, vestiging, kwalificaties and capacity."""
    praktijkopleider = get_object_or_404(
        selectors.praktijkopleiders_owned_by(user=request.user).select_related("leerbedrijf"),
        pk=pk,
    )
    leerbedrijf = praktijkopleider.leerbedrijf
    form = PraktijkopleiderForm(
        request.POST or None, instance=praktijkopleider, leerbedrijf=leerbedrijf
    )
    return _form_page(
        request,
        form=form,
        leerbedrijf=leerbedrijf,
        title=_("Praktijkopleider %(naam)s wijzigen") % {"naam": praktijkopleider.naam},
        submit=_("Opslaan"),
        save=lambda: services.praktijkopleider_update(
            praktijkopleider=praktijkopleider, by=request.user, data=form.cleaned_data
        ),
        success=_("De praktijkopleider is opgeslagen."),
        anchor="praktijkopleiders",
    )


def _praktijkopleider_active_set(request: HttpRequest, pk: int, *, active: bool) -> HttpResponse:
    praktijkopleider = get_object_or_404(
        selectors.praktijkopleiders_owned_by(user=request.user).select_related("leerbedrijf"),
        pk=pk,
    )
    services.praktijkopleider_active_set(
        praktijkopleider=praktijkopleider, by=request.user, active=active
    )
    if active:
        message = _("%(naam)s is weer actief als praktijkopleider.")
    else:
        message = _(
            "%(naam)s is niet meer actief als praktijkopleider: op leerbanen met deze "
            "praktijkopleider wordt niemand meer aangenomen. Kandidaten die nu begeleid worden, "
            "blijven bij deze praktijkopleider."
        )
    messages.success(request, message % {"naam": praktijkopleider.naam})
    return redirect(f"{praktijkopleider.leerbedrijf.get_absolute_url()}#praktijkopleiders")


@login_required
@require_POST
@permission_required("leerbedrijven.change_leerbedrijf", raise_exception=True)
def praktijkopleider_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate a praktijkopleider (POST)."""
    return _praktijkopleider_active_set(request, pk, active=False)


@login_required
@require_POST
@permission_required("leerbedrijven.change_leerbedrijf", raise_exception=True)
def praktijkopleider_activate(request: HttpRequest, pk: int) -> HttpResponse:
    """Activate a praktijkopleider again (POST)."""
    return _praktijkopleider_active_set(request, pk, active=True)
