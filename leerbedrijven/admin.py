from django.contrib import admin
from django.db import models

from leerbedrijven.models import (
    ContactPerson,
    Erkenning,
    Leerbaan,
    LeerbaanTransition,
    Leerbedrijf,
    Praktijkopleider,
    Vestiging,
)
from praktijkleren.ui.admin import TransitionLogInline


class VestigingInline(admin.TabularInline):
    model = Vestiging
    extra = 0
    autocomplete_fields = ["postcode"]


class ErkenningInline(admin.TabularInline):
    model = Erkenning
    extra = 0
    autocomplete_fields = ["kwalificatie"]


class ContactPersonInline(admin.TabularInline):
    """Contactpersonen of the leerbedrijf."""

    model = ContactPerson
    extra = 0
    fields = ["naam", "functie", "email", "telefoon"]


class PraktijkopleiderInline(admin.StackedInline):
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
class LeerbedrijfAdmin(admin.ModelAdmin):
    # A website typed without scheme is https (Django 6's default, asked for explicitly now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["naam", "kvk_nummer", "organisation", "is_demo"]
    list_filter = ["is_demo"]
    search_fields = ["naam", "kvk_nummer"]
    autocomplete_fields = ["organisation"]
    inlines = [VestigingInline, ContactPersonInline, PraktijkopleiderInline, ErkenningInline]


@admin.register(Praktijkopleider)
class PraktijkopleiderAdmin(admin.ModelAdmin):
    """Praktijkopleiders; a vestiging of another leerbedrijf is refused (``clean``)."""

    list_display = ["naam", "leerbedrijf", "vestiging", "capacity", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["naam", "email", "leerbedrijf__naam"]
    autocomplete_fields = ["leerbedrijf", "vestiging", "kwalificaties"]
    list_select_related = ["leerbedrijf", "vestiging"]


@admin.register(Vestiging)
class VestigingAdmin(admin.ModelAdmin):
    list_display = ["naam", "vestigingsnummer", "leerbedrijf", "postcode"]
    search_fields = ["naam", "vestigingsnummer", "leerbedrijf__naam"]
    autocomplete_fields = ["leerbedrijf", "postcode"]


@admin.register(Erkenning)
class ErkenningAdmin(admin.ModelAdmin):
    list_display = ["leerbedrijf", "kwalificatie", "leerweg", "geldig_van", "geldig_tot"]
    list_filter = ["leerweg"]
    search_fields = ["leerbedrijf__naam", "kwalificatie__crebo", "kwalificatie__naam"]
    autocomplete_fields = ["leerbedrijf", "kwalificatie"]
    list_select_related = ["leerbedrijf", "kwalificatie"]


class LeerbaanTransitionInline(TransitionLogInline):
    model = LeerbaanTransition


@admin.register(Leerbaan)
class LeerbaanAdmin(admin.ModelAdmin):
    """Leerbanen; status and places taken change only through the workflow."""

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
