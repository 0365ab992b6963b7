"""The consultant's search form for the opleidingsaanbod, and the school's forms for its own
offer (aanbod and start moments)."""

import re
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opleidingen.constants import Leerweg
from opleidingen.models import Kwalificatie, MboLocatie
from praktijkleren.geo.models import Postcode
from praktijkleren.ui.forms import TextRulesMixin
from praktijkleren.validators import date_within

_POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})?$")
MAX_NAME_MATCHES = 5
# A start moment lies from a year back to five years ahead (days): schools announce cohorts
# years in advance.
STARTMOMENT_PAST_DAYS, STARTMOMENT_FUTURE_DAYS = 366, 5 * 366


class AanbodSearchForm(TextRulesMixin, forms.Form):
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


class AanbodForm(TextRulesMixin, forms.Form):
    """The school's opleidingsaanbod: a current kwalificatie (its choice label), the leerweg
    (BBL or BOL; the service checks the kwalificatie has it) and locations of the school's own
    instelling (``locaties``: a queryset of its ``MboLocatie`` rows; none or several)."""

    kwalificatie = forms.ModelChoiceField(
        label=_("Kwalificatie"),
        queryset=Kwalificatie.objects.none(),
        help_text=_("Een actuele kwalificatie; het crebo staat tussen haakjes."),
    )
    leerweg = forms.ChoiceField(label=_("Leerweg"), choices=Leerweg.choices)
    locaties = forms.ModelMultipleChoiceField(
        label=_("Locaties"),
        queryset=MboLocatie.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("De locaties van uw instelling waar deze opleiding wordt gegeven."),
    )

    def __init__(self, *args: Any, locaties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kwalificatie = self.fields["kwalificatie"]
        kwalificatie.queryset = Kwalificatie.objects.filter(is_current=True).filter(
            Q(bbl=True) | Q(bol=True)
        )
        kwalificatie.label_from_instance = Kwalificatie.choice_label
        self.fields["locaties"].queryset = locaties
        self.fields["locaties"].label_from_instance = _locatie_label

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kwalificatie, leerweg = data.get("kwalificatie"), data.get("leerweg")
        if kwalificatie and leerweg and leerweg not in kwalificatie.leerwegen():
            self.add_error(
                "leerweg",
                _("Deze kwalificatie kent alleen de leerweg %(leerwegen)s.")
                % {"leerwegen": " en ".join(kwalificatie.leerwegen()) or "–"},
            )
        return data


def _locatie_label(locatie: MboLocatie) -> str:
    return f"{locatie.naam}, {locatie.plaats} ({locatie.brinvest})"


class StartMomentForm(TextRulesMixin, forms.Form):
    """A start moment of an aanbod: its date and its number of places (at least 1; the service
    refuses fewer than the places taken)."""

    start_date = forms.DateField(
        label=_("Startdatum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Bijvoorbeeld 2027-09-01."),
    )
    capacity = forms.IntegerField(
        label=_("Aantal plaatsen"),
        min_value=1,
        max_value=999,
        help_text=_("Hoeveel kandidaten op deze datum kunnen beginnen."),
    )

    def clean_start_date(self) -> Any:
        """A date from a year back (a late entry) to five years ahead."""
        return date_within(
            self.cleaned_data["start_date"],
            past_days=STARTMOMENT_PAST_DAYS,
            future_days=STARTMOMENT_FUTURE_DAYS,
        )
