"""Admin for reference geography: read-mostly, the data comes from ``manage.py import_geo``."""

from django.contrib import admin
from django.http import HttpRequest

from praktijkleren.geo.models import Arbeidsmarktregio, Gemeente, Postcode
from praktijkleren.ui.admin import SafeAutocompleteMixin


class ReferenceDataAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    """Browse and correct imported rows; adding and deleting go through the importer."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Arbeidsmarktregio)
class ArbeidsmarktregioAdmin(ReferenceDataAdmin):
    list_display = ["code", "naam"]
    search_fields = ["code", "naam"]
    readonly_fields = ["code"]


@admin.register(Gemeente)
class GemeenteAdmin(ReferenceDataAdmin):
    list_display = ["code", "naam", "provincie_naam", "arbeidsmarktregio", "lat", "lon"]
    list_filter = ["provincie_naam", "arbeidsmarktregio"]
    list_select_related = ["arbeidsmarktregio"]
    search_fields = ["code", "naam"]
    readonly_fields = ["code", "lat", "lon"]
    autocomplete_fields = ["arbeidsmarktregio"]


@admin.register(Postcode)
class PostcodeAdmin(ReferenceDataAdmin):
    list_display = ["pc4", "woonplaats", "gemeente", "lat", "lon", "coordinate_source"]
    list_filter = ["coordinate_source", "gemeente__arbeidsmarktregio"]
    list_select_related = ["gemeente"]
    search_fields = ["pc4", "woonplaats", "gemeente__naam"]
    readonly_fields = ["pc4", "coordinate_source"]
    autocomplete_fields = ["gemeente"]
