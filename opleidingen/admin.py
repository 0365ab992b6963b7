"""Admin for the kwalificatiestructuur, mbo-certificaten and mbo-instellingen: read-mostly, the
data comes from the reference importers (``manage.py load_reference``); the opleidingsaanbod
(with its locations and start moments) is kept here by beheer, or imported with
``import_opleidingsaanbod``."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from opleidingen.models import (
    Certificaat,
    Kerntaak,
    Kwalificatie,
    Kwalificatiedossier,
    MboInstelling,
    MboLocatie,
    Opleidingsaanbod,
    StartMoment,
    Werkproces,
)
from praktijkleren.ui.admin import SafeAutocompleteMixin


class ReferenceDataAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    """Browse and correct imported rows; adding and deleting go through the importers."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Kwalificatiedossier)
class KwalificatiedossierAdmin(ReferenceDataAdmin):
    list_display = ["code", "naam", "sectorkamer_naam"]
    list_filter = ["sectorkamer_naam"]
    search_fields = ["code", "naam"]
    readonly_fields = ["code"]


@admin.register(Kwalificatie)
class KwalificatieAdmin(ReferenceDataAdmin):
    list_display = ["crebo", "naam", "niveau", "bbl", "bol", "dossier", "is_current"]
    list_filter = ["is_current", "niveau", "bbl", "bol", "sectorkamer_naam"]
    list_select_related = ["dossier"]
    search_fields = ["crebo", "naam", "dossier__naam"]
    readonly_fields = ["crebo", "is_current"]
    autocomplete_fields = ["dossier"]


class WerkprocesInline(SafeAutocompleteMixin, admin.TabularInline):
    model = Werkproces
    fields = ["code", "position", "titel"]
    readonly_fields = ["code", "position", "titel"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Kerntaak)
class KerntaakAdmin(ReferenceDataAdmin):
    list_display = ["code", "titel", "deel", "dossier", "kwalificatie", "bron"]
    list_filter = ["deel", "bron"]
    list_select_related = ["dossier", "kwalificatie"]
    search_fields = ["code", "titel", "dossier__naam", "kwalificatie__crebo"]
    readonly_fields = ["dossier", "kwalificatie", "deel", "code", "position", "bron"]
    inlines = [WerkprocesInline]


@admin.register(Werkproces)
class WerkprocesAdmin(ReferenceDataAdmin):
    list_display = ["code", "titel", "kerntaak"]
    list_select_related = ["kerntaak"]
    search_fields = ["code", "titel", "kerntaak__code", "kerntaak__kwalificatie__crebo"]
    readonly_fields = ["kerntaak", "code"]


@admin.register(Certificaat)
class CertificaatAdmin(ReferenceDataAdmin):
    """The mbo-certificaten of ``import_certificaten`` (real ones and the demo's, ``is_demo``)."""

    list_display = ["code", "naam", "keuzedeel_code", "vastgesteld_op", "is_demo"]
    list_filter = ["is_demo"]
    search_fields = ["code", "naam", "bron", "kwalificaties__crebo", "kwalificaties__naam"]
    readonly_fields = ["code", "is_demo"]
    autocomplete_fields = ["kwalificaties", "kerntaken", "werkprocessen"]


class MboLocatieInline(SafeAutocompleteMixin, admin.TabularInline):
    model = MboLocatie
    fields = ["brinvest", "naam", "straat", "postcode", "plaats", "is_hoofdlocatie"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(MboInstelling)
class MboInstellingAdmin(ReferenceDataAdmin):
    list_display = ["brin", "naam", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["brin", "naam"]
    readonly_fields = ["brin"]
    autocomplete_fields = ["organisation"]
    inlines = [MboLocatieInline]


@admin.register(MboLocatie)
class MboLocatieAdmin(ReferenceDataAdmin):
    list_display = ["brinvest", "instelling", "naam", "plaats", "is_hoofdlocatie"]
    list_filter = ["is_hoofdlocatie"]
    list_select_related = ["instelling"]
    search_fields = ["brinvest", "naam", "plaats", "instelling__naam"]
    readonly_fields = ["instelling", "brinvest", "lat", "lon"]


class OpleidingsaanbodForm(forms.ModelForm):
    """Refuses locations of another instelling than the aanbod's."""

    class Meta:
        model = Opleidingsaanbod
        fields = ["instelling", "kwalificatie", "leerweg", "locaties", "is_demo"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        instelling, locaties = cleaned.get("instelling"), cleaned.get("locaties")
        if instelling is not None and locaties is not None:
            try:
                Opleidingsaanbod(instelling=instelling).check_locaties(locaties)
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


class StartMomentInline(SafeAutocompleteMixin, admin.TabularInline):
    model = StartMoment
    fields = ["start_date", "capacity"]
    extra = 1


@admin.register(Opleidingsaanbod)
class OpleidingsaanbodAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    form = OpleidingsaanbodForm
    list_display = ["instelling", "kwalificatie", "leerweg", "is_demo"]
    list_filter = ["leerweg", "is_demo"]
    list_select_related = ["instelling", "kwalificatie"]
    search_fields = [
        "instelling__naam",
        "instelling__brin",
        "kwalificatie__crebo",
        "kwalificatie__naam",
    ]
    autocomplete_fields = ["instelling", "kwalificatie", "locaties"]
    inlines = [StartMomentInline]
