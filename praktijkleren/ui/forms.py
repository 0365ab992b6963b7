"""Forms of the portal-wide pages."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django.contrib.auth.forms import AuthenticationForm
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
