"""Forms of candidates and voordrachten: registering a candidate, the voordracht with its
motivation, the werkgever's invitation and decline, and the request for a voordracht."""

import datetime as dt
import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import phonenumbers
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.nl import bsn as stdnum_bsn

from candidates.constants import (
    INTERVIEW_MESSAGE_MAX_CHARS,
    INTERVIEW_PLACE_MAX_CHARS,
    MAX_TRAVEL_DISTANCE_KM,
    MOTIVATION_MAX_CHARS,
    REQUEST_ANSWER_MAX_CHARS,
    REQUEST_MESSAGE_MAX_CHARS,
)
from candidates.models import Candidate
from candidates.selectors import candidates_with_bsn
from leerbedrijven.constants import MAX_HOURS_PER_WEEK, MIN_HOURS_PER_WEEK
from opleidingen.models import Kwalificatie, Kwalificatiedossier, Werkproces
from praktijkleren.accounts.models import Organisation
from praktijkleren.geo.models import Postcode
from praktijkleren.ui.forms import TextRulesMixin
from praktijkleren.ui.transitions import ReasonForm
from praktijkleren.validators import bsn_in

# Interviews are agreed in Dutch local time.
INTERVIEW_TIME_ZONE = ZoneInfo("Europe/Amsterdam")
# An interview lies at most this many days ahead.
INTERVIEW_FUTURE_DAYS = 366

# Free text about a candidate is kept short: what a werkgever or school needs, at most this many
# characters.
FREE_TEXT_MAX_CHARS = 2000

# A candidate's age on the day of the aanmelding (years): praktijkleren is for werkenden and
# werkzoekenden, from school-leaving age to just past the state pension age.
MIN_AGE_YEARS, MAX_AGE_YEARS = 15, 70


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Whole years between ``birth_date`` and ``day`` (someone born on 29 February turns a year
    older on 1 March in a common year)."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


class CandidateForm(TextRulesMixin, forms.ModelForm):
    """The aanmelding of a candidate (domain primer, 'the main flow', step 1).

    ``postcode`` accepts ``1234`` or ``1234 AB`` and resolves to the PC4; ``bsn`` is optional
    and checked with the 11-proef (python-stdnum); ``consent`` records the toestemming.
    ``birth_date`` and ``birth_place`` are optional (the praktijkverklaring prints them); a
    birth date makes the candidate 15 to 70 years old today. Neither reaches a werkgever.
    """

    bsn = forms.CharField(
        label=_("BSN"),
        required=False,
        max_length=20,
        help_text=_(
            "Negen cijfers. Alleen de gemeente of het UWV ziet het BSN, nooit de werkgever."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=7,
        help_text=_("Vier cijfers, of de hele postcode zoals 3511 AB."),
    )
    max_travel_km = forms.IntegerField(
        label=_("Maximale reisafstand (km)"),
        min_value=1,
        max_value=MAX_TRAVEL_DISTANCE_KM,
        initial=25,
        help_text=_("In kilometers, hemelsbreed tussen de postcodes (1 tot 150)."),
    )
    hours_per_week = forms.IntegerField(
        label=_("Uren per week"),
        min_value=MIN_HOURS_PER_WEEK,
        max_value=MAX_HOURS_PER_WEEK,
        initial=32,
        help_text=_("Tussen 12 en 40 uur."),
    )
    consent = forms.BooleanField(
        label=_("De kandidaat geeft toestemming om het profiel te delen met werkgevers en scholen"),
        required=False,
        help_text=_(
            "Zonder toestemming wordt de kandidaat aangemeld maar niet voorgedragen; u kunt de "
            "toestemming later vastleggen met Activeren."
        ),
    )
    work_experience = forms.CharField(
        label=_("Werkervaring"),
        required=False,
        max_length=FREE_TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    earlier_education = forms.CharField(
        label=_("Eerdere opleiding"),
        required=False,
        max_length=FREE_TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Candidate
        fields = [
            "first_name",
            "last_name",
            "bsn",
            "birth_date",
            "birth_place",
            "email",
            "phone",
            "postcode",
            "wished_kwalificaties",
            "wished_dossiers",
            "route",
            "max_travel_km",
            "hours_per_week",
            "earliest_start_date",
            "work_experience",
            "earlier_education",
        ]
        widgets = {
            "earliest_start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "wished_kwalificaties": _(
                "Kies een of meer kwalificaties, of hieronder een dossier: één van beide is nodig."
            ),
            "wished_dossiers": _("Of een heel kwalificatiedossier, als de kandidaat breder zoekt."),
            "birth_date": _(
                "Bijvoorbeeld 1985-03-14. Komt op de praktijkverklaring; de school ziet het, de "
                "werkgever niet."
            ),
            "birth_place": _("Komt op de praktijkverklaring; de werkgever ziet het niet."),
        }

    def __init__(self, *args, organisation: Organisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The duplicate check: this organisation may not register a BSN twice (none: unchecked).
        self.organisation = organisation
        self.fields["wished_kwalificaties"].queryset = Kwalificatie.objects.filter(
            is_current=True, bbl=True
        ).order_by("naam", "niveau", "crebo")
        self.fields["wished_kwalificaties"].label_from_instance = Kwalificatie.choice_label
        self.fields["wished_dossiers"].queryset = Kwalificatiedossier.objects.filter(
            kwalificaties__is_current=True
        ).distinct()

    def clean_earliest_start_date(self) -> dt.date:
        value = self.cleaned_data["earliest_start_date"]
        today = timezone.localdate()
        earliest, latest = today - dt.timedelta(days=366), today + dt.timedelta(days=2 * 366)
        if not earliest <= value <= latest:
            raise forms.ValidationError(
                _("Kies een datum tussen %(van)s en %(tot)s.")
                % {"van": date_format(earliest, "j F Y"), "tot": date_format(latest, "j F Y")}
            )
        return value

    def clean_birth_date(self) -> dt.date | None:
        """Empty, or a date that makes the candidate ``MIN_AGE_YEARS`` to ``MAX_AGE_YEARS``
        years old today."""
        value = self.cleaned_data.get("birth_date")
        if value is None:
            return None
        today = timezone.localdate()
        oldest = _years_before(today, MAX_AGE_YEARS + 1) + dt.timedelta(days=1)
        youngest = _years_before(today, MIN_AGE_YEARS)
        if not MIN_AGE_YEARS <= age_on(value, today) <= MAX_AGE_YEARS:
            raise forms.ValidationError(
                _(
                    "Vul een geboortedatum in waarmee de kandidaat tussen %(min)d en %(max)d jaar "
                    "oud is, dus geboren tussen %(van)s en %(tot)s."
                )
                % {
                    "min": MIN_AGE_YEARS,
                    "max": MAX_AGE_YEARS,
                    "van": date_format(oldest, "j F Y"),
                    "tot": date_format(youngest, "j F Y"),
                }
            )
        return value

    def clean_birth_place(self) -> str:
        return self.cleaned_data["birth_place"].strip()

    def clean_phone(self) -> str:
        """A Dutch (or international, with +) phone number, stored as ``+31 6 12345678``."""
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        try:
            number = phonenumbers.parse(value, "NL")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(
                _("Dit is geen geldig telefoonnummer, zoals 06 12345678 of 030 1234567.")
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

    @sensitive_variables("value")
    def clean_bsn(self) -> str:
        """Nine digits that pass the 11-proef (spaces and dots dropped), not yet registered by
        ``organisation`` (found through the blind index), or ``""``."""
        value = self.cleaned_data["bsn"].strip()
        if not value:
            return ""
        try:
            value = stdnum_bsn.validate(value)
        except StdnumValidationError as exc:
            raise forms.ValidationError(
                _("Dit is geen geldig BSN: negen cijfers die de elfproef halen.")
            ) from exc
        if (
            self.organisation is not None
            and candidates_with_bsn(bsn=value, organisation=self.organisation).exists()
        ):
            raise forms.ValidationError(
                _("Uw organisatie heeft al een kandidaat met dit BSN."), code="duplicate"
            )
        return value

    def clean_postcode(self) -> Postcode:
        raw = self.cleaned_data["postcode"].replace(" ", "").upper()
        pc4 = raw[:4]
        if not (
            pc4.isascii()
            and pc4.isdigit()
            and len(pc4) == 4
            and (len(raw) == 4 or raw[4:].isalpha())
        ):
            raise forms.ValidationError(_("Vul een postcode in zoals 3511 of 3511 AB."))
        postcode = Postcode.objects.filter(pc4=pc4).first()
        if postcode is None:
            raise forms.ValidationError(_("Postcode %(pc4)s is niet bekend.") % {"pc4": pc4})
        return postcode

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("wished_kwalificaties") and not cleaned.get("wished_dossiers"):
            self.add_error(
                "wished_kwalificaties",
                _("Kies ten minste één gewenste kwalificatie of één dossier."),
            )
        return cleaned


def _years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` years before ``day`` (29 February: the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


class CandidateExperienceForm(TextRulesMixin, forms.Form):
    """The werkprocessen a candidate already masters, chosen among ``offered`` (werkproces ids:
    those of the kwalificaties the candidate wishes, ``selectors.candidate_experience_groups``).
    The page renders the checkboxes itself, grouped per kwalificatie and kerntaak."""

    werkprocessen = forms.ModelMultipleChoiceField(
        label=_("Werkprocessen die de kandidaat al beheerst"),
        queryset=Werkproces.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, offered: Iterable[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["werkprocessen"].queryset = Werkproces.objects.filter(pk__in=list(offered))

    def checked(self, initial: Iterable[int]) -> set[int]:
        """The ids to show ticked: those sent (a bound form), else ``initial``."""
        if not self.is_bound:
            return set(initial)
        # ASCII digits only: "²".isdigit() is true, yet int() refuses it.
        return {
            int(v)
            for v in self.data.getlist("werkprocessen")
            if re.fullmatch(r"[0-9]{1,18}", str(v))
        }


class ConsentForm(TextRulesMixin, forms.Form):
    """Activating a candidate: the consultant confirms the toestemming (required)."""

    consent = forms.BooleanField(
        label=_("De kandidaat geeft toestemming om het profiel te delen met werkgevers en scholen"),
        help_text=_("Zonder toestemming kan de kandidaat niet worden voorgedragen."),
    )


# The BSN's detection is shared with other texts that must not hold one.
_bsn_in = bsn_in


class VoordrachtMakeForm(TextRulesMixin, forms.Form):
    """The voordracht: the consultant's motivation for the werkgever (optional; a BSN in it is
    refused, since the werkgever reads it)."""

    motivation = forms.CharField(
        label=_("Motivatie"),
        required=False,
        max_length=MOTIVATION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Waarom past deze kandidaat bij de leerbaan? De werkgever leest het bij de voordracht. "
            "Geen BSN, uitkering of gezondheid noemen. Ten hoogste 2000 tekens."
        ),
    )

    def clean_motivation(self) -> str:
        motivation = self.cleaned_data["motivation"]
        if _bsn_in(motivation):
            raise forms.ValidationError(
                _("Haal het BSN uit de motivatie: de werkgever leest die."), code="bsn"
            )
        return motivation


class InviteForm(TextRulesMixin, forms.Form):
    """The werkgever invites a candidate to an interview: date and time (Dutch local time, not
    in the past), place, and an optional message to the candidate's consultant. ``clean`` adds
    ``interview_at``, an aware datetime in Europe/Amsterdam."""

    interview_date = forms.DateField(
        label=_("Datum van het gesprek"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Bijvoorbeeld 2027-03-01."),
    )
    interview_time = forms.TimeField(
        label=_("Tijd van het gesprek"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Nederlandse tijd, bijvoorbeeld 10:30."),
    )
    interview_place = forms.CharField(
        label=_("Plaats van het gesprek"),
        max_length=INTERVIEW_PLACE_MAX_CHARS,
        help_text=_("Het adres, of bijvoorbeeld ‘videogesprek, de link volgt per e-mail’."),
    )
    interview_message = forms.CharField(
        label=_("Bericht aan de consulent"),
        required=False,
        max_length=INTERVIEW_MESSAGE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bijvoorbeeld wat de kandidaat meeneemt, of bij wie zich te melden."),
    )

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        day, time = cleaned.get("interview_date"), cleaned.get("interview_time")
        if day is None or time is None:
            return cleaned
        at = timezone.make_aware(dt.datetime.combine(day, time), INTERVIEW_TIME_ZONE)
        if at < timezone.now():
            self.add_error("interview_date", _("Het gesprek kan niet in het verleden liggen."))
        elif day > timezone.localdate() + dt.timedelta(days=INTERVIEW_FUTURE_DAYS):
            self.add_error("interview_date", _("Plan het gesprek binnen een jaar vanaf vandaag."))
        cleaned["interview_at"] = at
        return cleaned


class DeclineForm(ReasonForm):
    """Declining a voordracht: a reason code (required) and an optional message to the
    consultant (stored as the voordracht's ``decline_message``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason_code"].label = _("Reden van afwijzing")
        self.fields["reason"].label = _("Bericht aan de consulent")
        self.fields["reason"].help_text = _(
            "De consulent leest het bij de afwijzing. Nodig bij ‘Andere reden’."
        )


class VoordrachtRequestForm(TextRulesMixin, forms.Form):
    """The werkgever asks the consultant to propose a fitting candidate: an optional message."""

    message = forms.CharField(
        label=_("Bericht aan de consulent"),
        required=False,
        max_length=REQUEST_MESSAGE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bijvoorbeeld wanneer u de kandidaat zou willen spreken."),
    )


class RequestDeclineForm(TextRulesMixin, forms.Form):
    """The consultant declines a werkgever's request: a short answer (required)."""

    answer = forms.CharField(
        label=_("Antwoord aan de werkgever"),
        max_length=REQUEST_ANSWER_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kort en zonder persoonlijke gegevens, bijvoorbeeld ‘De kandidaat kiest voor een "
            "andere richting.’ Ten hoogste 500 tekens."
        ),
    )
