import hashlib
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from leerbedrijven.importers import (
    COLUMNS,
    PREVIEW_LIMIT,
    ErkenningenRefused,
    erkenningen_csv,
    erkenningen_import_bytes,
)
from leerbedrijven.leerbaan_forms import LeerbaanAdminForm
from leerbedrijven.models import (
    ContactPerson,
    Erkenning,
    Leerbaan,
    LeerbaanTransition,
    Leerbedrijf,
    Praktijkopleider,
    Vestiging,
)
from praktijkleren.ui.admin import SafeAutocompleteMixin, TransitionLogInline

# The largest file the admin takes (the command takes any size).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
_SESSION_KEY = "erkenningen_import"


class VestigingInline(SafeAutocompleteMixin, admin.TabularInline):
    model = Vestiging
    extra = 0
    autocomplete_fields = ["postcode"]


class ErkenningInline(SafeAutocompleteMixin, admin.TabularInline):
    model = Erkenning
    extra = 0
    autocomplete_fields = ["kwalificatie"]


class ContactPersonInline(SafeAutocompleteMixin, admin.TabularInline):
    """Contactpersonen of the leerbedrijf."""

    model = ContactPerson
    extra = 0
    fields = ["naam", "functie", "email", "telefoon"]


class PraktijkopleiderInline(SafeAutocompleteMixin, admin.StackedInline):
    """Praktijkopleiders of the leerbedrijf: only its own vestigingen are offered (and the
    model's ``clean`` refuses another leerbedrijf's)."""

    model = Praktijkopleider
    extra = 0
    fields = ["naam", "email", "telefoon", "vestiging", "kwalificaties", "capacity", "is_active"]
    autocomplete_fields = ["kwalificaties"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "vestiging":
            object_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Vestiging.objects.filter(leerbedrijf_id=object_id or None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Leerbedrijf)
class LeerbedrijfAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    # A website typed without scheme is https (Django 6's default, asked for explicitly now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["naam", "kvk_nummer", "organisation", "is_demo"]
    list_filter = ["is_demo"]
    search_fields = ["naam", "kvk_nummer"]
    autocomplete_fields = ["organisation"]
    inlines = [VestigingInline, ContactPersonInline, PraktijkopleiderInline, ErkenningInline]


@admin.register(Praktijkopleider)
class PraktijkopleiderAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    """Praktijkopleiders; a vestiging of another leerbedrijf is refused (``clean``)."""

    list_display = ["naam", "leerbedrijf", "vestiging", "capacity", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["naam", "email", "leerbedrijf__naam"]
    autocomplete_fields = ["leerbedrijf", "vestiging", "kwalificaties"]
    list_select_related = ["leerbedrijf", "vestiging"]


@admin.register(Vestiging)
class VestigingAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["naam", "vestigingsnummer", "leerbedrijf", "postcode"]
    search_fields = ["naam", "vestigingsnummer", "leerbedrijf__naam"]
    autocomplete_fields = ["leerbedrijf", "postcode"]


class ErkenningenImportForm(forms.Form):
    """The upload of the erkenningen import (``leerbedrijven.importers``)."""

    file = forms.FileField(
        label=_("CSV-bestand"),
        help_text=_("UTF-8, met de kolommen: %(kolommen)s.") % {"kolommen": ", ".join(COLUMNS)},
    )
    skip_invalid = forms.BooleanField(
        label=_("Ongeldige regels overslaan en de rest laden"), required=False
    )
    max_ending_percent = forms.DecimalField(
        label=_("Ten hoogste te beëindigen deel van de huidige erkenningen (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=1,
        required=False,
        help_text=_("Leeg: de standaardgrens van %(grens)s%%.")
        % {"grens": f"{settings.ERKENNINGEN_MAX_ENDING_SHARE * 100:g}"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Het bestand is groter dan 5 MB: importeer het met manage.py import_erkenningen.")
            )
        return upload


def _refusal(refused: ErkenningenRefused) -> dict:
    """What the import page shows of a refused run: the reason and every bad row."""
    return {
        "refused": refused,
        "refused_message": str(refused).splitlines()[0],
        "row_errors": list(refused.plan.errors),
    }


@admin.register(Erkenning)
class ErkenningAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["leerbedrijf", "kwalificatie", "leerweg", "geldig_van", "geldig_tot"]
    list_filter = ["leerweg"]
    search_fields = ["leerbedrijf__naam", "kwalificatie__crebo", "kwalificatie__naam"]
    autocomplete_fields = ["leerbedrijf", "kwalificatie", "werkprocessen"]
    list_select_related = ["leerbedrijf", "kwalificatie"]

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        export = self.admin_site.admin_view(self.export_view)
        return [
            path("importeren/", view, name="leerbedrijven_erkenning_import"),
            path("exporteren/", export, name="leerbedrijven_erkenning_export"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload SBB's erkenningen CSV, see what would change (a dry run) or every bad row,
        then confirm: the same importer as ``manage.py import_erkenningen``."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Erkenningen importeren uit CSV"),
            "columns": COLUMNS,
            "preview_limit": PREVIEW_LIMIT,
        }
        form = ErkenningenImportForm()
        if request.method == "POST" and request.POST.get("confirm"):
            return self._import_confirm(request, context)
        if request.method == "POST":
            form = ErkenningenImportForm(request.POST, request.FILES)
            if form.is_valid():
                self._import_preview(request, form, context)
        context["form"] = form
        return TemplateResponse(request, "admin/leerbedrijven/erkenning/import.html", context)

    def export_view(self, request):
        """The erkenningen (``?demo=1``: of the demo leerbedrijven) as CSV in the import's
        format: a file to edit and upload again, e.g. to try the import on the demo."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        queryset = Erkenning.objects.all()
        demo = request.GET.get("demo") == "1"
        if demo:
            queryset = queryset.filter(leerbedrijf__is_demo=True)
        response = HttpResponse(erkenningen_csv(queryset=queryset), content_type="text/csv")
        name = "erkenningen-demo.csv" if demo else "erkenningen.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @staticmethod
    def _options(form: ErkenningenImportForm) -> dict:
        percent = form.cleaned_data["max_ending_percent"]
        return {
            "skip_invalid": form.cleaned_data["skip_invalid"],
            "max_ending_share": None if percent is None else float(percent) / 100,
        }

    def _import_preview(self, request, form, context) -> None:
        upload = form.cleaned_data["file"]
        content = upload.read()
        options = self._options(form)
        try:
            result, plan = erkenningen_import_bytes(
                name=upload.name, content=content, dry_run=True, **options
            )
        except ErkenningenRefused as refused:
            context.update(_refusal(refused))
            return
        digest = hashlib.sha256(content).hexdigest()
        request.session[_SESSION_KEY] = {
            "name": upload.name,
            "content": content.decode("utf-8", errors="replace"),
            "digest": digest,
            "options": options,
        }
        context.update(
            {
                "preview": result,
                "changes": plan.changes[:PREVIEW_LIMIT],
                "more_changes": max(0, len(plan.changes) - PREVIEW_LIMIT),
                "row_errors": result.errors,
                "digest": digest,
                "file_name": upload.name,
            }
        )

    def _import_confirm(self, request, context):
        stored = request.session.get(_SESSION_KEY)
        if not stored or stored["digest"] != request.POST.get("digest"):
            messages.error(
                request, gettext("Upload het bestand opnieuw: de voorvertoning is verlopen.")
            )
            return redirect("admin:leerbedrijven_erkenning_import")
        try:
            result, _plan = erkenningen_import_bytes(
                name=stored["name"], content=stored["content"].encode("utf-8"), **stored["options"]
            )
        except ErkenningenRefused as refused:
            context.update({"form": ErkenningenImportForm(), **_refusal(refused)})
            return TemplateResponse(request, "admin/leerbedrijven/erkenning/import.html", context)
        del request.session[_SESSION_KEY]
        messages.success(
            request,
            gettext(
                "Erkenningen geïmporteerd: %(created)d nieuw, %(updated)d bijgewerkt, "
                "%(unchanged)d ongewijzigd, %(ended)d beëindigd, %(withdrawn)d ingetrokken, "
                "%(skipped)d ongeldige regels overgeslagen."
            )
            % vars(result),
        )
        return redirect(reverse("admin:leerbedrijven_erkenning_changelist"))


class LeerbaanTransitionInline(TransitionLogInline):
    model = LeerbaanTransition


@admin.register(Leerbaan)
class LeerbaanAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    """Leerbanen; status and places taken change only through the workflow. The form refuses
    what the werkgever's form refuses (``leerbaan_validate``): a kwalificatie the leerbedrijf is
    not erkend for on the start date, a vestiging of another leerbedrijf."""

    form = LeerbaanAdminForm

    list_display = [
        "titel",
        "leerbedrijf",
        "kwalificatie",
        "status",
        "places",
        "start_date",
        "is_demo",
    ]
    list_filter = ["status", "is_demo", "supports_certificaat", "supports_praktijkverklaring"]
    search_fields = ["titel", "leerbedrijf__naam", "kwalificatie__crebo"]
    autocomplete_fields = [
        "leerbedrijf",
        "vestiging",
        "kwalificatie",
        "werkprocessen",
        "praktijkopleider",
    ]
    readonly_fields = ["status", "places_taken"]
    list_select_related = ["leerbedrijf", "kwalificatie"]
    inlines = [LeerbaanTransitionInline]
