"""Forms of the enrolment's transitions."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from trajecten.selectors import enrolment_offering

# A start date lies within this many days of today (a year back for late registrations, two
# years ahead for the next cohorts).
START_DATE_PAST_DAYS, START_DATE_FUTURE_DAYS = 366, 2 * 366


class StartDateForm(forms.Form):
    """Accepting an enrolment: the start date of the opleiding (a date within a year back and
    two years ahead)."""

    start_date = forms.DateField(
        label=_("Startdatum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("De datum waarop de kandidaat begint, bijvoorbeeld 2027-09-01."),
    )

    def clean_start_date(self) -> dt.date:
        value = self.cleaned_data["start_date"]
        today = timezone.localdate()
        earliest = today - dt.timedelta(days=START_DATE_PAST_DAYS)
        latest = today + dt.timedelta(days=START_DATE_FUTURE_DAYS)
        if not earliest <= value <= latest:
            raise forms.ValidationError(
                _("Kies een startdatum tussen %(van)s en %(tot)s.")
                % {"van": date_format(earliest, "j F Y"), "tot": date_format(latest, "j F Y")}
            )
        return value


class InstellingChoiceForm(forms.Form):
    """The consultant chooses the mbo-instelling an enrolment request goes to: one of those that
    offer the kwalificatie in BBL, nearest to the candidate's home first, with the distance."""

    takes_object = True
    instelling = forms.ChoiceField(label=_("mbo-instelling"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, obj: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offering = {str(o.instelling.pk): o for o in enrolment_offering(enrolment=obj)}
        choices = []
        for key, offer in self.offering.items():
            where = (
                _("%(plaats)s, %(km)d km van huis")
                % {"plaats": offer.locatie.plaats, "km": round(offer.km)}
                if offer.locatie is not None and offer.km is not None
                else _("locatie onbekend")
            )
            choices.append((key, f"{offer.instelling.naam} ({where})"))
        self.fields["instelling"].choices = choices
        if not choices:
            self.fields["instelling"].help_text = _(
                "Geen enkele instelling biedt deze kwalificatie in BBL aan: stop de inschrijving "
                "of overleg met het leerbedrijf over een andere kwalificatie."
            )

    def clean_instelling(self) -> Any:
        return self.offering[self.cleaned_data["instelling"]].instelling
