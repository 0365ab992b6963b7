"""Forms of the enrolment's transitions."""

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.validators import DecimalValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from opleidingen.constants import Route
from opleidingen.models import Certificaat, StartMoment
from opleidingen.selectors import startmoment_label, startmomenten_with_room
from praktijkleren.ui.forms import TextRulesMixin
from praktijkleren.validators import date_within, no_personal_data
from trajecten.documents import CHECK_CODE_LENGTH
from trajecten.models import Onderwijsovereenkomst, Praktijkovereenkomst
from trajecten.selectors import offers_for

# A start date lies within this many days of today (a year back for late registrations, two
# years ahead for the next cohorts).
START_DATE_PAST_DAYS, START_DATE_FUTURE_DAYS = 366, 2 * 366
# An agreement's period lies within five years back and six years ahead (a BBL programme runs up
# to four years); a date of signing at most five years back (days).
AGREEMENT_PAST_DAYS, AGREEMENT_FUTURE_DAYS = 5 * 366, 6 * 366


class EnrolmentAcceptForm(TextRulesMixin, forms.Form):
    """The school accepts an enrolment: one of its start moments with room for the
    kwalificatie in BBL (``startmoment``, initially the proposed one) or, when it has none that
    fits, a ``start_date`` (a date within a year back and two years ahead): exactly one of both.
    It confirms the ``route`` (initially the enrolment's) and, for the certificaat route, picks
    the ``certificaat`` among the kwalificatie's. ``cleaned_data`` holds a ``StartMoment`` or
    None, a date or None, the route and a ``Certificaat`` or None."""

    takes_object = True
    startmoment = forms.ChoiceField(label=_("Startmoment"), required=False)
    start_date = forms.DateField(
        label=_("Of een startdatum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Alleen als geen startmoment past: de datum waarop de kandidaat begint, "
            "bijvoorbeeld 2027-09-01."
        ),
    )
    route = forms.ChoiceField(
        label=_("Route"),
        choices=Route.choices,
        widget=forms.RadioSelect,
        help_text=_("De route van de voordracht; bevestig die of kies een andere."),
    )
    certificaat = forms.ChoiceField(
        label=_("mbo-certificaat"),
        required=False,
        help_text=_("Alleen bij de route certificaat."),
    )

    def __init__(self, *args: Any, obj: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enrolment = obj
        moments = list(self._moments(obj))
        self.moments = {str(m.pk): m for m in moments}
        if moments:
            self.fields["startmoment"].choices = [
                ("", _("— geen: ik vul een startdatum in —")),
                *((key, startmoment_label(m)) for key, m in self.moments.items()),
            ]
            if obj.startmoment_id and str(obj.startmoment_id) in self.moments:
                self.fields["startmoment"].initial = str(obj.startmoment_id)
        else:
            del self.fields["startmoment"]
            self.fields["start_date"].label = _("Startdatum")
            self.fields["start_date"].help_text = _(
                "Uw instelling heeft voor deze kwalificatie in BBL geen startmoment met plaats: "
                "vul de datum in waarop de kandidaat begint, bijvoorbeeld 2027-09-01."
            )
        self.fields["route"].initial = obj.route
        self.certificaten = {
            str(c.pk): c for c in Certificaat.objects.filter(kwalificaties=obj.kwalificatie_id)
        }
        self.fields["certificaat"].choices = [
            ("", _("— geen —")),
            *((key, str(c)) for key, c in self.certificaten.items()),
        ]
        if obj.certificaat_id and str(obj.certificaat_id) in self.certificaten:
            self.fields["certificaat"].initial = str(obj.certificaat_id)

    @staticmethod
    def _moments(enrolment: Any) -> Any:
        if enrolment.instelling_id is None:
            return StartMoment.objects.none()
        today = timezone.localdate()
        proposed = enrolment.startmoment
        from_date = min(today, proposed.start_date) if proposed is not None else today
        return startmomenten_with_room(
            instelling=enrolment.instelling,
            kwalificatie=enrolment.kwalificatie,
            from_date=from_date,
        ).prefetch_related("aanbod__locaties")

    def clean_start_date(self) -> dt.date | None:
        value = self.cleaned_data["start_date"]
        if value is None:
            return None
        today = timezone.localdate()
        earliest = today - dt.timedelta(days=START_DATE_PAST_DAYS)
        latest = today + dt.timedelta(days=START_DATE_FUTURE_DAYS)
        if not earliest <= value <= latest:
            raise forms.ValidationError(
                _("Kies een startdatum tussen %(van)s en %(tot)s.")
                % {"van": date_format(earliest, "j F Y"), "tot": date_format(latest, "j F Y")}
            )
        return value

    def clean_startmoment(self) -> Any:
        key = self.cleaned_data.get("startmoment") or ""
        return self.moments[key] if key else None

    def clean_certificaat(self) -> Any:
        key = self.cleaned_data.get("certificaat") or ""
        return self.certificaten[key] if key else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        moment, date = data.get("startmoment"), data.get("start_date")
        if "start_date" not in self.errors:
            if moment is not None and date is not None:
                self.add_error(
                    "start_date",
                    _(
                        "U koos al een startmoment: laat de startdatum leeg, of kies geen "
                        "startmoment."
                    ),
                )
            elif moment is None and date is None:
                self.add_error(
                    "startmoment" if "startmoment" in self.fields else "start_date",
                    _("Kies een startmoment of vul een startdatum in.")
                    if "startmoment" in self.fields
                    else _("Vul de startdatum in."),
                )
        route, certificaat = data.get("route"), data.get("certificaat")
        if route == Route.CERTIFICAAT and certificaat is None and "certificaat" not in self.errors:
            self.add_error(
                "certificaat",
                _("Kies het mbo-certificaat van de route certificaat.")
                if self.certificaten
                else _(
                    "Bij deze kwalificatie is geen mbo-certificaat bekend: kies een andere route."
                ),
            )
        elif route and route != Route.CERTIFICAAT and certificaat is not None:
            self.add_error(
                "certificaat",
                _("Een mbo-certificaat hoort alleen bij de route certificaat: laat het leeg."),
            )
        data.setdefault("startmoment", None)
        return data


class InstellingChoiceForm(TextRulesMixin, forms.Form):
    """The consultant chooses the mbo-instelling an enrolment request goes to: one of those that
    offer the kwalificatie in BBL, nearest to the candidate's home first, each with its distance
    and its next start moment with room (from the candidate's earliest start date)."""

    takes_object = True
    instelling = forms.ChoiceField(label=_("mbo-instelling"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, obj: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offers = offers_for(candidate=obj.candidate, kwalificatie=obj.kwalificatie)
        self.offering = {str(o.offering.instelling.pk): o.offering for o in offers}
        choices = []
        for offer in offers:
            found = offer.offering
            where = (
                _("%(plaats)s, %(km)d km van huis")
                % {"plaats": found.locatie.plaats, "km": round(found.km)}
                if found.locatie is not None and found.km is not None
                else _("locatie onbekend")
            )
            start = (
                _("eerstvolgende start met plaats: %(start)s")
                % {"start": startmoment_label(offer.startmoment)}
                if offer.startmoment is not None
                else _("geen startmoment met plaats bekend")
            )
            choices.append(
                (str(found.instelling.pk), f"{found.instelling.naam} ({where}; {start})")
            )
        self.fields["instelling"].choices = choices
        if not choices:
            self.fields["instelling"].help_text = _(
                "Geen enkele instelling biedt deze kwalificatie in BBL aan: stop de inschrijving "
                "of overleg met het leerbedrijf over een andere kwalificatie."
            )

    def clean_instelling(self) -> Any:
        return self.offering[self.cleaned_data["instelling"]].instelling


def _signed_date(value: dt.date | None) -> dt.date | None:
    """A date of signing: empty, or at most ``AGREEMENT_PAST_DAYS`` back (the future is
    refused with its own message by the forms)."""
    if value is None or value > timezone.localdate():
        return value
    return date_within(value, past_days=AGREEMENT_PAST_DAYS, future_days=0)


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# The longest praktijkovereenkomst a BBL opleiding needs (niveau 4: three to four years).
POK_MAX_YEARS = 5


class PraktijkovereenkomstForm(TextRulesMixin, forms.ModelForm):
    """The school records the praktijkovereenkomst (POK, WEB art. 7.2.8–7.2.9): the period, the
    hours per week at the leerbedrijf (1–60) and their spread, the guidance, the part of the
    kwalificatie to be achieved and its assessment, and the date each party signed (empty while
    it has not; not in the future)."""

    class Meta:
        model = Praktijkovereenkomst
        fields = [
            "period_start",
            "period_end",
            "hours_per_week",
            "hours_spread",
            "guidance",
            "onderdeel",
            "assessment",
            "signed_by_school",
            "signed_by_candidate",
            "signed_by_leerbedrijf",
        ]
        widgets = {
            "period_start": _date_widget(),
            "period_end": _date_widget(),
            "signed_by_school": _date_widget(),
            "signed_by_candidate": _date_widget(),
            "signed_by_leerbedrijf": _date_widget(),
            "hours_spread": forms.Textarea(attrs={"rows": 3}),
            "guidance": forms.Textarea(attrs={"rows": 3}),
            "onderdeel": forms.Textarea(attrs={"rows": 3}),
            "assessment": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "hours_per_week": _(
                "Uren bij het leerbedrijf per week, bijvoorbeeld 24. BBL vraagt ten minste 610 "
                "uur per jaar in de praktijk, ongeveer 12 uur per week."
            ),
            "hours_spread": _("Bijvoorbeeld: maandag tot en met woensdag, 8 uur per dag."),
            "guidance": _("Wie begeleidt de kandidaat, en hoe vaak."),
            "onderdeel": _("De werkprocessen of kerntaken die de kandidaat leert."),
            "assessment": _("Hoe en door wie het geleerde wordt beoordeeld."),
            "signed_by_school": _("Leeg laten zolang de school niet heeft getekend."),
            "signed_by_candidate": _("Leeg laten zolang de kandidaat niet heeft getekend."),
            "signed_by_leerbedrijf": _("Leeg laten zolang het leerbedrijf niet heeft getekend."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hours = self.fields["hours_per_week"]
        hours.min_value = 1
        hours.widget.attrs.update({"min": 1, "max": 60})
        # The range message below says what fits; the model's digit count would only say
        # "not more than 2 digits before the point" for 999.
        hours.validators = [
            v if not isinstance(v, DecimalValidator) else DecimalValidator(None, v.decimal_places)
            for v in hours.validators
        ]

    def clean_hours_per_week(self) -> Any:
        value = self.cleaned_data["hours_per_week"]
        if not 1 <= value <= 60:
            raise forms.ValidationError(_("Vul een aantal uren per week in van 1 tot en met 60."))
        return value

    def clean_period_start(self) -> Any:
        return date_within(
            self.cleaned_data["period_start"],
            past_days=AGREEMENT_PAST_DAYS,
            future_days=AGREEMENT_FUTURE_DAYS,
        )

    def clean_period_end(self) -> Any:
        return date_within(
            self.cleaned_data["period_end"],
            past_days=AGREEMENT_PAST_DAYS,
            future_days=AGREEMENT_FUTURE_DAYS,
        )

    def clean_signed_by_school(self) -> Any:
        return _signed_date(self.cleaned_data["signed_by_school"])

    def clean_signed_by_candidate(self) -> Any:
        return _signed_date(self.cleaned_data["signed_by_candidate"])

    def clean_signed_by_leerbedrijf(self) -> Any:
        return _signed_date(self.cleaned_data["signed_by_leerbedrijf"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("De einddatum ligt op of na de begindatum."))
        elif start and end and end > start + dt.timedelta(days=POK_MAX_YEARS * 366):
            self.add_error(
                "period_end",
                _("Een praktijkovereenkomst duurt ten hoogste %(n)d jaar.") % {"n": POK_MAX_YEARS},
            )
        today = timezone.localdate()
        for name in ("signed_by_school", "signed_by_candidate", "signed_by_leerbedrijf"):
            signed = data.get(name)
            if signed and signed > today:
                self.add_error(name, _("Een datum van ondertekening ligt niet in de toekomst."))
        return data


class OnderwijsovereenkomstForm(TextRulesMixin, forms.ModelForm):
    """The school records the date the onderwijsovereenkomst (OOK, WEB art. 8.1.3) was signed
    (empty while it has not; not in the future)."""

    class Meta:
        model = Onderwijsovereenkomst
        fields = ["signed_on"]
        widgets = {"signed_on": _date_widget()}
        help_texts = {"signed_on": _("Leeg laten zolang de overeenkomst niet is getekend.")}

    def clean_signed_on(self) -> Any:
        value = self.cleaned_data["signed_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Een datum van ondertekening ligt niet in de toekomst."))
        return _signed_date(value)


class PraktijkverklaringIssueForm(TextRulesMixin, forms.Form):
    """The school issues a praktijkverklaring: the name of its examencommissie and the names of
    one to three signatories (``trajecten.documents.praktijkverklaring_issue``)."""

    examencommissie = forms.CharField(
        label=_("Naam van de examencommissie"),
        max_length=200,
        help_text=_("Bijvoorbeeld: Examencommissie Zorg en Welzijn."),
    )
    signatory_1 = forms.CharField(
        label=_("Ondertekenaar 1"),
        max_length=150,
        help_text=_("Voor- en achternaam van wie namens de examencommissie ondertekent."),
    )
    signatory_2 = forms.CharField(label=_("Ondertekenaar 2"), max_length=150, required=False)
    signatory_3 = forms.CharField(label=_("Ondertekenaar 3"), max_length=150, required=False)

    def signatories(self) -> list[str]:
        """The names given, in order, without empty ones."""
        names = (self.cleaned_data.get(f"signatory_{i}", "") for i in (1, 2, 3))
        return [name.strip() for name in names if name and name.strip()]


class PraktijkverklaringVerifyForm(TextRulesMixin, forms.Form):
    """The public verification of a praktijkverklaring: its document number (like
    ``PV-2026-000123``) and its check code (8 characters), as printed on the document."""

    number = forms.CharField(
        label=_("Documentnummer"),
        max_length=20,
        help_text=_("Zoals op de praktijkverklaring, bijvoorbeeld PV-2026-000123."),
    )
    check_code = forms.CharField(
        label=_("Controlecode"),
        max_length=20,
        help_text=_("De 8 tekens die op de praktijkverklaring naast het nummer staan."),
    )

    def clean_number(self) -> str:
        value = self.cleaned_data["number"].strip().upper()
        if not re.fullmatch(r"PV-[0-9]{4}-[0-9]{6,}", value):
            raise forms.ValidationError(
                _("Vul een documentnummer in zoals PV-2026-000123."), code="format"
            )
        return value

    def clean_check_code(self) -> str:
        value = "".join(self.cleaned_data["check_code"].split()).upper()
        if len(value) != CHECK_CODE_LENGTH:
            raise forms.ValidationError(
                _("Een controlecode heeft %(n)d tekens.") % {"n": CHECK_CODE_LENGTH},
                code="format",
            )
        return value


class CandidateEraseForm(TextRulesMixin, forms.Form):
    """A consultant erases a candidate's personal data on the candidate's request
    (``trajecten.privacy.candidate_erase``): why (``note``, at most 500 characters, kept with
    the anonymised candidate) and a confirmation that it cannot be undone."""

    note = forms.CharField(
        label=_("Reden"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Bijvoorbeeld: verzoek van de kandidaat van 1 december, per brief. Noem geen "
            "persoonsgegevens: deze toelichting blijft bewaard."
        ),
    )
    confirm = forms.BooleanField(
        label=_("Ik begrijp dat de persoonsgegevens definitief worden verwijderd."),
    )

    def __init__(self, *args: Any, candidate: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.names: tuple[str, ...] = (
            (candidate.first_name, candidate.last_name) if candidate is not None else ()
        )

    def clean_note(self) -> str:
        """The note, refused when it holds personal data: a BSN, a phone number, an e-mail
        address or the candidate's own first or last name
        (``praktijkleren.validators.no_personal_data``)."""
        note: str = self.cleaned_data["note"]
        no_personal_data(note, names=self.names)
        return note
