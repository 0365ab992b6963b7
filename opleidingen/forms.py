"""The consultant's search form for the opleidingsaanbod."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from opleidingen.models import Kwalificatie
from praktijkleren.geo.models import Postcode

_POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})?$")
MAX_NAME_MATCHES = 5


class AanbodSearchForm(forms.Form):
    """A postcode (``1234`` or ``1234 AB``; its PC4 gives the point) and a kwalificatie (its
    crebo, or a part of its name that only one current BBL kwalificatie has). ``cleaned_data``
    then holds the ``Postcode`` and the ``Kwalificatie``."""

    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        help_text=_("Bijvoorbeeld 3511 of 3511 AB."),
    )
    kwalificatie = forms.CharField(
        label=_("Kwalificatie"),
        max_length=100,
        help_text=_("Het crebo (vijf cijfers) of een deel van de naam."),
    )

    def clean_postcode(self) -> Postcode:
        text = " ".join(self.cleaned_data["postcode"].upper().split())
        match = _POSTCODE.match(text)
        if match is None:
            raise forms.ValidationError(_("Vul een postcode in zoals 3511 of 3511 AB."))
        postcode = Postcode.objects.filter(pc4=match[1]).first()
        if postcode is None:
            raise forms.ValidationError(_("Deze postcode is niet bekend."))
        return postcode

    def clean_kwalificatie(self) -> Kwalificatie:
        text = " ".join(self.cleaned_data["kwalificatie"].split())
        current = Kwalificatie.objects.filter(is_current=True)
        if re.fullmatch(r"[0-9]{5}", text):
            found = current.filter(crebo=text).first()
            if found is None:
                raise forms.ValidationError(_("Er is geen actuele kwalificatie met dit crebo."))
            return found
        matches = list(current.filter(naam__icontains=text, bbl=True)[: MAX_NAME_MATCHES + 1])
        if not matches:
            raise forms.ValidationError(_("Geen actuele BBL-kwalificatie heeft deze naam."))
        exact = [k for k in matches if k.naam.lower() == text.lower()]
        if len(matches) > 1 and len(exact) != 1:
            names = ", ".join(f"{k.naam} ({k.crebo})" for k in matches[:MAX_NAME_MATCHES])
            raise forms.ValidationError(
                _("Meer kwalificaties passen bij deze naam: %(names)s. Vul het crebo in."),
                params={"names": names},
            )
        return exact[0] if exact else matches[0]
