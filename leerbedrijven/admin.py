from django.contrib import admin
from django.db import models

from leerbedrijven.forms import LeerbaanAdminForm
from leerbedrijven.models import Erkenning, Leerbaan, LeerbaanTransition, Leerbedrijf, Vestiging
from praktijkleren.ui.admin import TransitionLogInline


class VestigingInline(admin.TabularInline):
    model = Vestiging
    extra = 0
    autocomplete_fields = ["postcode"]


class ErkenningInline(admin.TabularInline):
    model = Erkenning
    extra = 0
    autocomplete_fields = ["kwalificatie"]


@admin.register(Leerbedrijf)
class LeerbedrijfAdmin(admin.ModelAdmin):
    # A website typed without scheme is https (Django 6's default, asked for explicitly now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["naam", "kvk_nummer", "organisation", "is_demo"]
    list_filter = ["is_demo"]
    search_fields = ["naam", "kvk_nummer"]
    autocomplete_fields = ["organisation"]
    inlines = [VestigingInline, ErkenningInline]


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
    autocomplete_fields = ["leerbedrijf", "vestiging", "kwalificatie", "werkprocessen"]
    readonly_fields = ["status", "places_taken"]
    list_select_related = ["leerbedrijf", "kwalificatie"]
    inlines = [LeerbaanTransitionInline]
