from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin  # noqa: F401 (registers it)
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin  # noqa: F401 (registers it)
from django_otp.plugins.otp_totp.models import TOTPDevice

from praktijkleren.accounts import services
from praktijkleren.accounts.audit import request_origin
from praktijkleren.accounts.models import Organisation, User
from praktijkleren.accounts.selectors import two_factor_configured
from praktijkleren.ui.admin import SafeAutocompleteMixin

# django-otp's own device admins show the TOTP key, its QR code and the recovery codes, and
# delete devices without a trace: beheer resets a user's second step through the audited action
# on the user instead ("Tweestapsverificatie resetten").
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


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
        (_("Tweestapsverificatie"), {"fields": ("two_factor_status",)}),
    )
    readonly_fields = ["two_factor_status"]
    autocomplete_fields = ["organisation"]
    actions = ["two_factor_reset"]

    @admin.display(description=_("tweestapsverificatie"))
    def two_factor_status(self, obj: User) -> str:
        if obj.pk and two_factor_configured(obj):
            return str(_("ingesteld"))
        return str(_("nog niet ingesteld: de gebruiker stelt een app in bij het inloggen"))

    @admin.action(
        description=_("Tweestapsverificatie resetten (opnieuw instellen bij inloggen)"),
        permissions=["change"],
    )
    def two_factor_reset(self, request, queryset) -> None:
        """Remove the app and recovery codes of each selected user
        (``services.two_factor_reset``, audited per user): each sets up a new app at the next
        log-in."""
        users = list(queryset)
        for user in users:
            services.two_factor_reset(user=user, by=request.user, origin=request_origin(request))
        self.message_user(
            request,
            ngettext(
                "De tweestapsverificatie van %(count)d gebruiker is gereset. Bij de volgende "
                "log-in stelt die een nieuwe app in.",
                "De tweestapsverificatie van %(count)d gebruikers is gereset. Bij de volgende "
                "log-in stellen zij een nieuwe app in.",
                len(users),
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )
