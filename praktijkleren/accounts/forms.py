"""Forms of the second log-in step: the code that confirms a new authenticator app, and the
code (or recovery code) that completes a log-in. They validate the text only; the views check
the code with ``praktijkleren.accounts.services`` and put a refusal on the ``token`` field."""

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from praktijkleren.ui.forms import TextRulesMixin


class _TokenForm(TextRulesMixin, forms.Form):
    """One field, ``token``: a one-time code (at most 20 characters; spaces and dashes are
    allowed and dropped by the services), with the browser's one-time-code hint."""

    form_id = ""
    submit_label = ""

    token = forms.CharField(
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = self.form_id
        self.helper.add_input(Submit("submit", self.submit_label))


class TwoFactorSetupForm(_TokenForm):
    """The first code of a new authenticator app, which confirms it."""

    form_id = "two-factor-setup-form"
    submit_label = _("Bevestigen")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["token"].label = _("Code uit de app")
        self.fields["token"].help_text = _(
            "De 6 cijfers die de app toont nadat u de QR-code hebt gescand."
        )
        self.fields["token"].widget.attrs["inputmode"] = "numeric"


class TwoFactorVerifyForm(_TokenForm):
    """The second step of a log-in: a code from the app, or a recovery code."""

    form_id = "two-factor-verify-form"
    submit_label = _("Inloggen")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["token"].label = _("Code")
        self.fields["token"].help_text = _(
            "De 6 cijfers die uw app nu toont, of een van uw herstelcodes."
        )
