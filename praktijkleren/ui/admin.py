"""Admin helpers shared by the apps."""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class TransitionLogInline(admin.TabularInline):
    """A workflow object's transition log, read-only (``praktijkleren.workflow``): history is
    written by the transition services only, never edited."""

    extra = 0
    can_delete = False
    fields = ["at", "transition", "from_state", "to_state", "by", "organisation", "reason_code"]
    readonly_fields = fields
    ordering = ["at", "pk"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


def _lookup_safe(widget: AutocompleteSelect, value: object) -> bool:
    """``value`` can be looked up in the widget's remote field: it converts to the field's
    type (a malformed id such as ``"abc"`` or ``"1.5"`` for an integer key does not) and holds
    no NUL character (PostgreSQL refuses those)."""
    remote = widget.field.remote_field
    opts = remote.model._meta
    target = opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)
    if "\x00" in str(value):
        return False
    try:
        target.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return False
    return True


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django's admin autocomplete widget that re-renders a refused form without a 500: it
    looks up only the sent values that are valid keys (Django's widget passes a malformed id
    straight to the database, which raises ``ValueError``). The field still shows its error."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if _lookup_safe(self, v)], attr)


class SafeAutocompleteSelectMultiple(SafeAutocompleteSelect, AutocompleteSelectMultiple):
    """``SafeAutocompleteSelect`` for a many-to-many field."""


class SafeAutocompleteMixin:
    """For every ``ModelAdmin`` and inline of the portal: its ``autocomplete_fields`` use the
    ``SafeAutocomplete*`` widgets, so a malformed id posted to an add or change page shows an
    error at the field instead of answering 500."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
