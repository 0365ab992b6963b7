"""Leerbanen lists for employers (their own) and consultants (the open ones), the pages to
post, edit and upload leerbanen, and the werkgever's erkenningen. HTTP and forms only: the rules
are in ``leerbedrijven.services``.

The page of one leerbaan shows the candidates who fit, so it lives in ``candidates.views``, as
do its transitions (publish, extend, close: closing ends its voordrachten). The leerbedrijf's
profile is in ``leerbedrijven.profile_views``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from leerbedrijven import selectors, services
from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.leerbaan_forms import (
    ROUTE_ALIASES,
    LeerbaanForm,
    LeerbedrijfChoiceForm,
    UploadForm,
)
from leerbedrijven.models import Leerbaan
from leerbedrijven.upload import COLUMNS
from praktijkleren.accounts.rules import is_werkgever
from praktijkleren.ui.forms import service_errors_add

PAGE_SIZE = 25
# The buttons of the leerbaan form (their ``name``).
SAVE, PUBLISH, REFRESH = "opslaan", "publiceren", "werkprocessen_kiezen"
# The transitions a werkgever's list links to, when the leerbaan's state allows them.
ROW_TRANSITIONS = ("publish", "extend", "close")


def _row_links(leerbaan: Leerbaan) -> list[tuple[str, str]]:
    """(label, URL) of what the werkgever may do with ``leerbaan`` in its state: edit, and the
    transitions whose source is its state. The transition's page checks the rest (and says
    why not); the list asks no query per row."""
    links = []
    if leerbaan.status in services.EDITABLE_STATUSES:
        links.append((_("Wijzigen"), reverse("leerbedrijven:leerbaan_edit", args=[leerbaan.pk])))
    for name in ROW_TRANSITIONS:
        meta = getattr(Leerbaan, name)._django_fsm
        if meta.has_transition(leerbaan.status):
            action = meta.get_transition(leerbaan.status).custom["action"]
            url = reverse(
                "candidates:leerbaan_transition", kwargs={"pk": leerbaan.pk, "transition": name}
            )
            links.append((str(action.label), url))
    return links


@login_required
@permission_required("leerbedrijven.view_leerbaan", raise_exception=True)
def leerbaan_list(request):
    """A werkgever's own leerbanen (every status, "Mijn leerbanen") with places, closing date,
    open voordrachten and what it may do; for consultants the open leerbanen. Both with the
    flag of an erkenning that ends (``selectors.leerbanen_with_erkenning_end``)."""
    werkgever = is_werkgever(request.user)
    if werkgever:
        queryset = selectors.leerbanen_of_employer(user=request.user)
    else:
        queryset = selectors.leerbanen_visible_to(user=request.user).select_related(
            "leerbedrijf", "kwalificatie", "vestiging__postcode"
        )
    queryset = selectors.leerbanen_with_erkenning_end(queryset)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(leerbaan, _row_links(leerbaan) if werkgever else []) for leerbaan in page]
    return render(
        request,
        "leerbedrijven/leerbaan_list.html",
        {"page": page, "rows": rows, "is_werkgever": werkgever},
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


def _save(request, form: LeerbaanForm, *, leerbaan: Leerbaan | None, publish: bool):
    """Create or update from a valid ``form``; returns the leerbaan, or None after putting the
    service's refusal on the form."""
    fields = form.service_fields()
    try:
        if leerbaan is None:
            return services.leerbaan_create(
                leerbedrijf=form.leerbedrijf, by=request.user, publish=publish, **fields
            )
        with transaction.atomic():
            leerbaan = services.leerbaan_update(leerbaan=leerbaan, by=request.user, **fields)
            if publish:
                leerbaan = services.leerbaan_publish(leerbaan=leerbaan, by=request.user)
        return leerbaan
    except ValidationError as exc:
        service_errors_add(form, exc, aliases=ROUTE_ALIASES)
        return None


def _form_page(request, *, leerbedrijf, leerbaan: Leerbaan | None):
    """The leerbaan form: GET shows it; "Werkprocessen kiezen" shows it again with the chosen
    kwalificatie's werkprocessen (without errors); "Opslaan (als concept)" and "Publiceren"
    save."""
    publish = PUBLISH in request.POST
    if request.method == "POST" and REFRESH in request.POST:
        initial = {
            key: request.POST.getlist(key)
            if key in ("werkprocessen", "routes")
            else request.POST.get(key)
            for key in request.POST
        }
        form = LeerbaanForm(leerbedrijf=leerbedrijf, leerbaan=leerbaan, initial=initial)
    elif request.method == "POST":
        form = LeerbaanForm(
            request.POST, leerbedrijf=leerbedrijf, leerbaan=leerbaan, publishing=publish
        )
        if form.is_valid():
            saved = _save(request, form, leerbaan=leerbaan, publish=publish)
            if saved is not None:
                messages.success(
                    request,
                    _("Leerbaan ‘%(titel)s’ is opgeslagen: status ‘%(status)s’.")
                    % {"titel": saved.titel, "status": saved.get_status_display()},
                )
                return redirect(saved)
    else:
        form = LeerbaanForm(leerbedrijf=leerbedrijf, leerbaan=leerbaan)
    context = {
        "form": form,
        "leerbaan": leerbaan,
        "leerbedrijf": leerbedrijf,
        "leerbaan_has_voordrachten": leerbaan is not None
        and selectors.leerbaan_has_voordrachten(leerbaan=leerbaan),
        "may_publish": leerbaan is None or leerbaan.status == LeerbaanStatus.CONCEPT,
        "buttons": {"save": SAVE, "publish": PUBLISH, "refresh": REFRESH},
    }
    return render(request, "leerbedrijven/leerbaan_form.html", context)


@login_required
@permission_required("leerbedrijven.change_leerbaan", raise_exception=True)
def leerbaan_create(request):
    """A new leerbaan: first the leerbedrijf (when the organisation has more than one), then
    the form; saved as concept or published at once."""
    leerbedrijven = selectors.leerbedrijven_owned_by(user=request.user)
    chosen = request.POST.get("leerbedrijf") or request.GET.get("leerbedrijf")
    if len(leerbedrijven) == 1:
        chosen = str(leerbedrijven[0].pk)
    if not chosen:
        choice = LeerbedrijfChoiceForm(leerbedrijven=leerbedrijven)
        return render(
            request,
            "leerbedrijven/leerbedrijf_choice.html",
            {"form": choice, "has_any": leerbedrijven.exists()},
        )
    try:
        leerbedrijf = leerbedrijven.get(pk=int(chosen))
    except (ValueError, leerbedrijven.model.DoesNotExist) as exc:
        raise Http404(_("Dit leerbedrijf hoort niet bij uw organisatie.")) from exc
    return _form_page(request, leerbedrijf=leerbedrijf, leerbaan=None)


@login_required
@permission_required("leerbedrijven.change_leerbaan", raise_exception=True)
def leerbaan_edit(request, pk: int):
    """Edit one of the organisation's leerbanen (another organisation's: 404)."""
    leerbaan = get_object_or_404(
        selectors.leerbanen_owned_by(user=request.user).select_related("leerbedrijf"), pk=pk
    )
    if leerbaan.status not in services.EDITABLE_STATUSES:
        messages.error(
            request,
            _("Een leerbaan met de status ‘%(status)s’ kunt u niet meer wijzigen.")
            % {"status": leerbaan.get_status_display()},
        )
        return redirect(leerbaan)
    return _form_page(request, leerbedrijf=leerbaan.leerbedrijf, leerbaan=leerbaan)


@login_required
@permission_required("leerbedrijven.change_leerbaan", raise_exception=True)
def leerbaan_upload(request):
    """ "Leerbanen uploaden (CSV)": the columns, the form, and after an upload what happened
    (created, updated, unchanged, skipped) or each bad row with line, column and reason."""
    leerbedrijven = selectors.leerbedrijven_owned_by(user=request.user)
    form = UploadForm(request.POST or None, request.FILES or None, leerbedrijven=leerbedrijven)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["bestand"]
        result = services.leerbanen_upload(
            leerbedrijf=form.cleaned_data["leerbedrijf"],
            by=request.user,
            content=upload.read(),
            name=upload.name,
            skip_invalid=form.cleaned_data["skip_invalid"],
        )
        if result.written:
            messages.success(
                request,
                _(
                    "Upload verwerkt: %(created)d nieuw, %(updated)d bijgewerkt, "
                    "%(unchanged)d ongewijzigd, %(skipped)d overgeslagen."
                )
                % dataclass_counts(result),
            )
        else:
            messages.error(
                request,
                _("Er is niets opgeslagen: verbeter de regels hieronder en upload opnieuw."),
            )
    context = {
        "form": form,
        "result": result,
        "columns": COLUMNS,
        "has_any": leerbedrijven.exists(),
    }
    return render(request, "leerbedrijven/leerbaan_upload.html", context)


def dataclass_counts(result: services.UploadResult) -> dict[str, int]:
    return {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "skipped": result.skipped,
    }
