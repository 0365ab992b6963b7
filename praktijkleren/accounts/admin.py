from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from praktijkleren.accounts.models import Organisation, User
from praktijkleren.ui.admin import SafeAutocompleteMixin


@admin.register(Organisation)
class OrganisationAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "gemeente", "arbeidsmarktregio", "email", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "email"]
    autocomplete_fields = ["gemeente", "arbeidsmarktregio"]


@admin.register(User)
class UserAdmin(SafeAutocompleteMixin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "organisation", "is_staff", "is_demo"]
    list_filter = ["organisation__kind", "is_staff", "is_demo"]
    list_select_related = ["organisation"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Organisatie"), {"fields": ("organisation", "is_demo")}),
    )
    autocomplete_fields = ["organisation"]
