"""Forms of the enrolment's transitions."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
                % {"van": earliest.isoformat(), "tot": latest.isoformat()}
            )
        return value
