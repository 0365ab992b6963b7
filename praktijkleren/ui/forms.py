"""Forms of the portal-wide pages, and the text rules every portal form takes
(``TextRulesMixin``)."""

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from praktijkleren.validators import (
    FREE_TEXT_MAX_CHARS,
    no_control_characters,
    no_control_characters_multiline,
)


def service_errors_add(
    form: forms.BaseForm, exc: ValidationError, *, aliases: dict[str, str] | None = None
) -> None:
    """Put a service's ``ValidationError`` on ``form``: each message on the field it names
    (renamed by ``aliases``, service field → form field) where the form has that field, the
    rest, and a message without a field, as errors of the whole form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    aliases = aliases or {}
    for field, errors in exc.message_dict.items():
        name = aliases.get(field, field)
        form.add_error(name if name in form.fields else None, errors)


class TextRulesMixin(forms.BaseForm):
    """The text rules of every portal form (issue 9): each text field (a ``CharField`` and its
    subclasses, passwords and files aside) refuses control characters (a multi-line field, one
    with a ``Textarea``, keeps tab and line breaks) and has a bounded length, enforced by a
    validator (a field without ``max_length`` gets ``FREE_TEXT_MAX_CHARS``). The rules are
    added when the form is made and again before it validates, so a field a subclass adds
    later gets them too.

    Use it first among the bases: ``class MyForm(TextRulesMixin, forms.Form)``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.text_rules_apply()

    def full_clean(self) -> None:
        self.text_rules_apply()
        super().full_clean()

    def text_rules_apply(self) -> None:
        """Add the control-character validator and a length bound to the form's text fields
        (idempotent)."""
        for field in self.fields.values():
            if not isinstance(field, forms.CharField) or isinstance(
                field.widget, forms.PasswordInput
            ):
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            rule = no_control_characters_multiline if multiline else no_control_characters
            if rule not in field.validators:
                field.validators.append(rule)
            if field.max_length is None:
                field.max_length = FREE_TEXT_MAX_CHARS
                field.widget.attrs.setdefault("maxlength", str(FREE_TEXT_MAX_CHARS))
            # A bound set after the field was made (Django's AuthenticationForm sets the user
            # name's from the model) has no validator of its own: add it.
            if not any(isinstance(v, MaxLengthValidator) for v in field.validators):
                field.validators.append(MaxLengthValidator(field.max_length))


class LoginForm(TextRulesMixin, AuthenticationForm):
    """Django's ``AuthenticationForm`` (username, password) with Dutch labels, a crispy helper
    and the text rules (a user name with control characters is refused at its field, before any
    back-end is asked; the password is left as typed).

    Errors: a wrong username/password combination or an inactive account is a non-field error.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Gebruikersnaam")
        self.fields["password"].label = _("Wachtwoord")
        self.helper = FormHelper()
        self.helper.form_id = "login-form"
        self.helper.add_input(Submit("submit", _("Inloggen")))
