"""Template helpers for the ``utrecht`` crispy-forms template pack (``templates/utrecht/``)."""

from django import template
from django.forms import (
    BoundField,
    CheckboxInput,
    CheckboxSelectMultiple,
    RadioSelect,
    Select,
    Textarea,
)

register = template.Library()


@register.filter
def error_anchor(field: BoundField) -> str:
    """The id an error-summary link points at: the element that receives focus for ``field``.

    ``id_<name>`` for ordinary inputs; for radio and checkbox lists (Django labels no single
    input) the first option, ``id_<name>_0``. Empty when the form has ``auto_id=False``.
    """
    if not field.auto_id:
        return ""
    return field.id_for_label or f"{field.auto_id}_0"


@register.filter
def first_field_anchor(form) -> str:
    """The anchor of ``form``'s first visible field (where non-field errors link to), or ''."""
    for field in form.visible_fields():
        return error_anchor(field)
    return ""


@register.filter
def utrecht_input_class(field: BoundField) -> str:
    """Utrecht component classes for ``field``'s widget, with the ``--invalid`` modifier on error.

    Select and select-multiple → ``utrecht-select``; textarea → ``utrecht-textarea``; single
    checkbox → ``utrecht-checkbox``; every other input (text, e-mail, number, date, password,
    file) → ``utrecht-textbox``.
    """
    # Every class name written whole: frontend/build-css.mjs ships only the utrecht-* classes it
    # finds written in the templates and this code (tests/test_static_css.py).
    widget = field.field.widget
    if isinstance(widget, CheckboxInput):
        classes = ["utrecht-checkbox", "utrecht-checkbox--html-input", "utrecht-checkbox--custom"]
        invalid = "utrecht-checkbox--invalid"
    elif isinstance(widget, Select):
        classes = ["utrecht-select", "utrecht-select--html-select"]
        invalid = "utrecht-select--invalid"
    elif isinstance(widget, Textarea):
        classes = ["utrecht-textarea", "utrecht-textarea--html-textarea"]
        invalid = "utrecht-textarea--invalid"
    else:
        classes = ["utrecht-textbox", "utrecht-textbox--html-input"]
        invalid = "utrecht-textbox--invalid"
    if field.errors:
        classes.append(invalid)
    return " ".join(classes)


@register.filter
def is_choice_list(field: BoundField) -> bool:
    """True for radio lists and checkbox lists: rendered as a fieldset with a legend."""
    return isinstance(field.field.widget, RadioSelect | CheckboxSelectMultiple)


@register.filter
def without_bootstrap(classes: str) -> str:
    """Drop crispy's default Bootstrap button classes (``btn``, ``btn-*``) from ``classes``."""
    return " ".join(c for c in classes.split() if c != "btn" and not c.startswith("btn-"))
