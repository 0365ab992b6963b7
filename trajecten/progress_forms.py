"""Forms of an enrolment's programme, progress and outcome (``trajecten.programmes``,
``trajecten.progress``). Dates are checked here for the field's error; the services check
them again under lock."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opleidingen.constants import Route
from opleidingen.models import Werkproces
from praktijkleren.ui.forms import TextRulesMixin
from praktijkleren.validators import date_within
from trajecten.constants import ProgrammeItemKind, ResultKind, VrijstellingGround
from trajecten.programmes import KEUZEDEEL_LABEL, programme_werkprocessen_available
from trajecten.services import OUTCOME_DATE_ROUTES, outcome_date_refusal


def _date_field(label: Any, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


# A date in an enrolment's progress lies at most this many days back (an enrolment without a
# start date has no other lower bound).
PROGRESS_PAST_DAYS = 10 * 366


def _not_future(value: dt.date) -> dt.date:
    if value > timezone.localdate():
        raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
    date_within(value, past_days=PROGRESS_PAST_DAYS, future_days=0)
    return value


def _not_before_start(value: dt.date, enrolment: Any) -> dt.date:
    _not_future(value)
    if enrolment.start_date is not None and value < enrolment.start_date:
        raise forms.ValidationError(_("Deze datum ligt vóór de start van de opleiding."))
    return value


class WerkprocessenForm(TextRulesMixin, forms.Form):
    """praktijkverklaring: the school chooses the programme's werkprocessen from those the
    leerbaan can teach (``programme_werkprocessen_available``), at least one."""

    werkprocessen = forms.ModelMultipleChoiceField(
        label=_("Werkprocessen"),
        queryset=Werkproces.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies ten minste één werkproces.")},
    )

    def __init__(self, *args: Any, enrolment: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["werkprocessen"]
        field.queryset = programme_werkprocessen_available(enrolment=enrolment)
        field.label_from_instance = _werkproces_label
        field.initial = list(
            enrolment.programme.filter(kind=ProgrammeItemKind.WERKPROCES).values_list(
                "werkproces_id", flat=True
            )
        )


def _werkproces_label(werkproces: Werkproces) -> str:
    kwalificatie = werkproces.kerntaak.kwalificatie
    where = f" ({kwalificatie.crebo})" if kwalificatie is not None else ""
    return f"{werkproces}{where}"


class KeuzedeelForm(TextRulesMixin, forms.Form):
    """diploma: a keuzedeel by its code and title, "K0123 Ondernemend gedrag"."""

    label = forms.CharField(
        label=_("Keuzedeel"),
        max_length=200,
        help_text=_(
            "De code (K en vier cijfers) en de naam, bijvoorbeeld K0123 Ondernemend gedrag."
        ),
    )

    def clean_label(self) -> str:
        value = " ".join(self.cleaned_data["label"].split())
        if not KEUZEDEEL_LABEL.match(value):
            raise forms.ValidationError(
                _("Begin met de code van het keuzedeel: K en vier cijfers, bijvoorbeeld K0123.")
            )
        return value


class CandidateAgreementForm(TextRulesMixin, forms.Form):
    """The school records the date the candidate agreed to the programme (not in the
    future)."""

    on = _date_field(_("Akkoord van de kandidaat op"))

    def clean_on(self) -> dt.date:
        return _not_future(self.cleaned_data["on"])


class VrijstellingForm(TextRulesMixin, forms.Form):
    """diploma (verkort): a vrijstelling for a werkproces of the programme or another part
    (text), on a ground, with an explanation and the date granted (not in the future)."""

    werkproces = forms.ModelChoiceField(
        label=_("Werkproces"),
        queryset=Werkproces.objects.none(),
        required=False,
        help_text=_("Of vul hieronder een ander onderdeel in."),
    )
    onderdeel = forms.CharField(
        label=_("Ander onderdeel"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: Nederlands, of K0123 Ondernemend gedrag."),
    )
    ground = forms.ChoiceField(
        label=_("Grond"), choices=VrijstellingGround.choices, widget=forms.RadioSelect
    )
    explanation = forms.CharField(
        label=_("Toelichting"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    granted_on = _date_field(_("Verleend op"))

    def __init__(self, *args: Any, enrolment: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["werkproces"].queryset = Werkproces.objects.filter(
            programme_items__enrolment=enrolment
        ).select_related("kerntaak")

    def clean_granted_on(self) -> dt.date:
        return _not_future(self.cleaned_data["granted_on"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        werkproces, onderdeel = data.get("werkproces"), (data.get("onderdeel") or "").strip()
        if (werkproces is None) == (not onderdeel):
            self.add_error(
                "onderdeel", _("Kies een werkproces óf vul een ander onderdeel in (één van beide).")
            )
        return data


class ConfirmForm(TextRulesMixin, forms.Form):
    """A werkproces is confirmed on a date (from the start date up to today)."""

    on = _date_field(_("Beheerst sinds"))

    def __init__(self, *args: Any, enrolment: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enrolment = enrolment

    def clean_on(self) -> dt.date:
        return _not_before_start(self.cleaned_data["on"], self.enrolment)


class ResultForm(TextRulesMixin, forms.Form):
    """The school records a lesson or exam: its name, passed or not, and the date (from the
    start date up to today)."""

    kind = forms.ChoiceField(label=_("Soort"), choices=ResultKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label=_("Onderdeel"), max_length=200)
    passed = forms.TypedChoiceField(
        label=_("Uitslag"),
        choices=[("1", _("Behaald")), ("0", _("Niet behaald"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    result_date = _date_field(_("Datum"))

    def __init__(self, *args: Any, enrolment: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enrolment = enrolment
        if enrolment.route == Route.PRAKTIJKVERKLARING:
            self.fields["kind"].choices = [(ResultKind.LES, ResultKind.LES.label)]

    def clean_result_date(self) -> dt.date:
        return _not_before_start(self.cleaned_data["result_date"], self.enrolment)


class CheckInForm(TextRulesMixin, forms.Form):
    """A check-in held: the date (from the start date up to today), who took part, whether it
    flags a problem, and a note."""

    held_on = _date_field(_("Gehouden op"))
    with_leerbedrijf = forms.BooleanField(label=_("Met het leerbedrijf"), required=False)
    with_candidate = forms.BooleanField(label=_("Met de kandidaat"), required=False)
    risk = forms.BooleanField(
        label=_("Er is een probleem (signaal aan de consulent)"), required=False
    )
    note = forms.CharField(
        label=_("Notitie"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, enrolment: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enrolment = enrolment

    def clean_held_on(self) -> dt.date:
        return _not_before_start(self.cleaned_data["held_on"], self.enrolment)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("with_leerbedrijf") or data.get("with_candidate")):
            self.add_error(
                "with_leerbedrijf",
                _("Kruis aan met wie het gesprek was: het leerbedrijf, de kandidaat of beide."),
            )
        return data


class OutcomeForm(TextRulesMixin, forms.Form):
    """Completing an enrolment: on a certificaat or diploma route the date behaald (not in the
    future, not before the start date); a praktijkverklaring route asks nothing."""

    takes_object = True
    outcome_date = _date_field(
        _("Behaald op"), _("De datum waarop de kandidaat het certificaat of diploma behaalde.")
    )

    def __init__(self, *args: Any, obj: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enrolment = obj
        if obj.route not in OUTCOME_DATE_ROUTES:
            del self.fields["outcome_date"]

    def clean_outcome_date(self) -> dt.date:
        value = self.cleaned_data["outcome_date"]
        refusal = outcome_date_refusal(self.enrolment, value)
        if refusal:
            raise forms.ValidationError(refusal)
        return value
