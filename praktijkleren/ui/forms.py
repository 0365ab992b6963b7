"""Forms of the portal-wide pages."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's ``AuthenticationForm`` (username, password) with Dutch labels and a crispy helper.

    Errors: a wrong username/password combination or an inactive account is a non-field error.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Gebruikersnaam")
        self.fields["password"].label = _("Wachtwoord")
        self.helper = FormHelper()
        self.helper.form_id = "login-form"
        self.helper.add_input(Submit("submit", _("Inloggen")))


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
