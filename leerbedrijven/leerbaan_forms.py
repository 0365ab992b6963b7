"""Forms of the werkgever's leerbanen: posting and editing one, extending it, and the bulk
upload. The rules live in ``leerbedrijven.services.leerbaan_validate``; every form (and the
admin's) asks it, so the form, the upload and the admin refuse the same things."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from leerbedrijven import selectors, services
from leerbedrijven.constants import (
    MAX_HOURS_PER_WEEK,
    MAX_PLACES,
    MIN_HOURS_PER_WEEK,
    OMSCHRIJVING_MAX_CHARS,
)
from leerbedrijven.models import Leerbaan, Leerbedrijf
from opleidingen.constants import Route
from opleidingen.models import Kwalificatie, Werkproces
from opleidingen.selectors import werkprocessen_of
from praktijkleren.ui.forms import TextRulesMixin, service_errors_add
from praktijkleren.validators import date_within

ROUTE_FLAGS = {
    Route.PRAKTIJKVERKLARING: "supports_praktijkverklaring",
    Route.CERTIFICAAT: "supports_certificaat",
    Route.DIPLOMA: "supports_diploma",
}
DATE_WIDGET = {"type": "date"}
# The service names each route flag; the form asks them in one field.
ROUTE_ALIASES = dict.fromkeys(services.ROUTE_FIELDS, "routes")
# A leerbaan's start and closing dates lie within this many days of today: a leerbaan that
# started some years ago may still be edited; nobody plans one more than three years ahead.
LEERBAAN_DATE_PAST_DAYS, LEERBAAN_DATE_FUTURE_DAYS = 5 * 366, 3 * 366


class LeerbaanForm(TextRulesMixin, forms.Form):
    """A leerbaan of ``leerbedrijf``: new (``leerbaan`` None) or an edit of ``leerbaan``.

    The kwalificatie lists what the leerbedrijf is erkend for (BBL) now or later; whether it is
    erkend on the chosen start date is checked on saving. The werkprocessen are those of the
    kwalificatie chosen (in the data sent, else the leerbaan's): the page's "Werkprocessen
    kiezen" button sends the form back to pick them, without JavaScript. ``publishing``: the
    closing date may not lie in the past.
    """

    titel = forms.CharField(label=_("Titel"), max_length=200)
    omschrijving = forms.CharField(
        label=_("Omschrijving"),
        required=False,
        max_length=OMSCHRIJVING_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Wat de kandidaat doet en leert, en wat u vraagt. Ten hoogste 4000 tekens."),
    )
    vestiging = forms.ModelChoiceField(label=_("Vestiging"), queryset=None)
    kwalificatie = forms.ModelChoiceField(
        label=_("Kwalificatie"),
        queryset=None,
        help_text=_(
            "Alleen kwalificaties waarvoor uw leerbedrijf erkend is (BBL). De erkenning moet "
            "gelden op de startdatum."
        ),
    )
    werkprocessen = forms.ModelMultipleChoiceField(
        label=_("Werkprocessen die u kunt leren"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    routes = forms.MultipleChoiceField(
        label=_("Routes"),
        choices=Route.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kies ten minste één route."),
    )
    hours_per_week = forms.IntegerField(
        label=_("Uren per week"),
        min_value=MIN_HOURS_PER_WEEK,
        max_value=MAX_HOURS_PER_WEEK,
        help_text=_("Tussen 12 en 40 uur."),
    )
    places = forms.IntegerField(
        label=_("Aantal plaatsen"), min_value=1, max_value=MAX_PLACES, initial=1
    )
    start_date = forms.DateField(
        label=_("Startdatum"), widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")
    )
    closing_date = forms.DateField(
        label=_("Sluitingsdatum"),
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        help_text=_(
            "De laatste dag waarop kandidaten kunnen worden voorgedragen: de leerbaan sluit aan "
            "het eind van die dag (Nederlandse tijd). Uiterlijk de startdatum."
        ),
    )
    praktijkopleider = forms.ModelChoiceField(
        label=_("Praktijkopleider"), queryset=None, required=False
    )
    external_ref = forms.CharField(
        label=_("Eigen kenmerk"),
        max_length=64,
        required=False,
        help_text=_("Uw eigen vaste kenmerk, bijvoorbeeld uit uw personeelssysteem."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        leerbedrijf: Leerbedrijf,
        leerbaan: Leerbaan | None = None,
        publishing: bool = False,
        **kwargs: Any,
    ) -> None:
        if leerbaan is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(leerbaan)
        super().__init__(data, **kwargs)
        self.leerbedrijf, self.leerbaan, self.publishing = leerbedrijf, leerbaan, publishing
        self.fields["vestiging"].queryset = leerbedrijf.vestigingen.order_by("naam", "pk")
        kwalificaties = selectors.kwalificaties_erkend_from(leerbedrijf=leerbedrijf)
        if leerbaan is not None:
            kwalificaties = kwalificaties | Kwalificatie.objects.filter(pk=leerbaan.kwalificatie_id)
        self.fields["kwalificatie"].queryset = kwalificaties.distinct().order_by(
            "naam", "niveau", "crebo"
        )
        self.fields["kwalificatie"].label_from_instance = Kwalificatie.choice_label
        if leerbaan is None:
            self._only_choices_preselect("vestiging", "kwalificatie")
        self.chosen_kwalificatie = self._chosen_kwalificatie()
        werkprocessen = self.fields["werkprocessen"]
        if self.chosen_kwalificatie is None:
            werkprocessen.queryset = Werkproces.objects.none()
            werkprocessen.help_text = _(
                "Kies eerst een kwalificatie en daarna ‘Werkprocessen kiezen’."
            )
        else:
            werkprocessen.queryset = werkprocessen_of(kwalificatie=self.chosen_kwalificatie)
            werkprocessen.help_text = _(
                "Van %(kwalificatie)s. Andere kwalificatie gekozen? Klik op ‘Werkprocessen kiezen’."
            ) % {"kwalificatie": self.chosen_kwalificatie.choice_label()}
        opleiders = selectors.praktijkopleiders_for(leerbedrijf=leerbedrijf)
        self.has_praktijkopleiders = opleiders.exists()
        self.fields["praktijkopleider"].queryset = opleiders
        self.fields["praktijkopleider"].required = leerbaan is None
        self.fields["praktijkopleider"].help_text = (
            _("Een actieve praktijkopleider van uw leerbedrijf die deze kwalificatie begeleidt.")
            if self.has_praktijkopleiders
            else _(
                "Uw leerbedrijf heeft nog geen praktijkopleider: voeg eerst een praktijkopleider "
                "toe op de pagina van uw leerbedrijf."
            )
        )

        if leerbaan is None:
            self._only_choices_preselect("praktijkopleider")

    def _only_choices_preselect(self, *names: str) -> None:
        """A new leerbaan: where the leerbedrijf has just one vestiging, erkende kwalificatie or
        praktijkopleider, it is chosen already (one step less, also with the keyboard)."""
        for name in names:
            choices = list(self.fields[name].queryset.values_list("pk", flat=True)[:2])
            if len(choices) == 1 and name not in self.initial:
                self.initial[name] = choices[0]

    @staticmethod
    def initial_from(leerbaan: Leerbaan) -> dict[str, Any]:
        """The form's initial values for an edit of ``leerbaan``."""
        return {
            "titel": leerbaan.titel,
            "omschrijving": leerbaan.omschrijving,
            "vestiging": leerbaan.vestiging_id,
            "kwalificatie": leerbaan.kwalificatie_id,
            "werkprocessen": [w.pk for w in leerbaan.werkprocessen.all()],
            "routes": leerbaan.routes(),
            "hours_per_week": leerbaan.hours_per_week,
            "places": leerbaan.places,
            "start_date": leerbaan.start_date,
            "closing_date": leerbaan.closing_date,
            "praktijkopleider": leerbaan.praktijkopleider_id,
            "external_ref": leerbaan.external_ref,
        }

    def _chosen_kwalificatie(self) -> Kwalificatie | None:
        raw = self.data.get("kwalificatie") if self.is_bound else None
        if raw in (None, ""):
            raw = self.initial.get("kwalificatie")
        if raw in (None, ""):
            return None
        if isinstance(raw, Kwalificatie):
            return raw
        try:
            return self.fields["kwalificatie"].queryset.filter(pk=int(raw)).first()
        except (TypeError, ValueError):
            return None

    def service_fields(self) -> dict[str, Any]:
        """The cleaned data as ``LEERBAAN_FIELDS`` for ``leerbaan_create``/``leerbaan_update``."""
        cleaned = self.cleaned_data
        fields = {
            name: cleaned.get(name)
            for name in services.LEERBAAN_FIELDS
            if name in self.fields and name != "routes"
        }
        routes = set(cleaned.get("routes") or [])
        for route, flag in ROUTE_FLAGS.items():
            fields[flag] = route in routes
        fields["werkprocessen"] = list(cleaned.get("werkprocessen") or [])
        fields["omschrijving"] = cleaned.get("omschrijving") or ""
        fields["external_ref"] = cleaned.get("external_ref") or ""
        return fields

    def clean_start_date(self) -> dt.date | None:
        return date_within(
            self.cleaned_data["start_date"],
            past_days=LEERBAAN_DATE_PAST_DAYS,
            future_days=LEERBAAN_DATE_FUTURE_DAYS,
        )

    def clean_closing_date(self) -> dt.date | None:
        return date_within(
            self.cleaned_data["closing_date"],
            past_days=LEERBAAN_DATE_PAST_DAYS,
            future_days=LEERBAAN_DATE_FUTURE_DAYS,
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        fields = self.service_fields()
        if self.leerbaan is not None and fields.get("praktijkopleider") is None:
            fields["praktijkopleider"] = None
        try:
            services.leerbaan_validate(
                leerbedrijf=self.leerbedrijf,
                fields=fields,
                leerbaan=self.leerbaan,
                publishing=self.publishing,
            )
        except ValidationError as exc:
            service_errors_add(self, exc, aliases=ROUTE_ALIASES)
        return cleaned


class ExtendForm(TextRulesMixin, forms.Form):
    """Extending a leerbaan: a later closing date (``leerbaan_extend`` checks it)."""

    takes_object = True
    closing_date = forms.DateField(
        label=_("Nieuwe sluitingsdatum"),
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, obj: Leerbaan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.leerbaan = obj
        self.fields["closing_date"].help_text = _(
            "Nu %(nu)s. Kies een latere datum, uiterlijk de startdatum (%(start)s); de leerbaan "
            "sluit aan het eind van die dag."
        ) % {
            "nu": date_format(obj.closing_date, "j F Y"),
            "start": date_format(obj.start_date, "j F Y"),
        }
        self.fields["closing_date"].initial = min(
            obj.start_date, max(obj.closing_date, selectors.closing_today()) + dt.timedelta(days=14)
        )

    def clean_closing_date(self) -> dt.date:
        value = self.cleaned_data["closing_date"]
        if value <= self.leerbaan.closing_date:
            raise forms.ValidationError(
                _("Kies een latere datum dan %(datum)s.")
                % {"datum": date_format(self.leerbaan.closing_date, "j F Y")}
            )
        if value > self.leerbaan.start_date:
            raise forms.ValidationError(
                _("Kies uiterlijk de startdatum, %(start)s.")
                % {"start": date_format(self.leerbaan.start_date, "j F Y")}
            )
        return value


class LeerbedrijfChoiceForm(TextRulesMixin, forms.Form):
    """Which leerbedrijf of the organisation a new leerbaan or an upload is for."""

    leerbedrijf = forms.ModelChoiceField(label=_("Leerbedrijf"), queryset=None)

    def __init__(self, *args: Any, leerbedrijven: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leerbedrijf"].queryset = leerbedrijven


# An uploaded CSV file may be at most this big (bytes): some thousands of leerbanen.
UPLOAD_MAX_BYTES = 2 * 1024 * 1024


class UploadForm(TextRulesMixin, forms.Form):
    """The bulk upload: a CSV file (UTF-8, comma or semicolon separated), whether to skip bad
    rows, and the leerbedrijf when the organisation has more than one."""

    leerbedrijf = forms.ModelChoiceField(label=_("Leerbedrijf"), queryset=None)
    bestand = forms.FileField(
        label=_("CSV-bestand"),
        help_text=_("UTF-8, met een kopregel; velden gescheiden door komma's of puntkomma's."),
    )
    skip_invalid = forms.BooleanField(
        label=_("Sla foute regels over"),
        required=False,
        help_text=_(
            "Zonder dit vinkje wordt niets opgeslagen zolang er één foute regel in het bestand "
            "staat."
        ),
    )

    def __init__(self, *args: Any, leerbedrijven: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leerbedrijf"].queryset = leerbedrijven
        self.only = leerbedrijven.first() if len(leerbedrijven) == 1 else None
        if self.only is not None:  # nothing to choose
            self.fields["leerbedrijf"].required = False
            self.fields["leerbedrijf"].widget = forms.HiddenInput()

    def clean_leerbedrijf(self) -> Leerbedrijf:
        chosen = self.cleaned_data.get("leerbedrijf") or self.only
        if chosen is None:
            raise forms.ValidationError(_("Kies een leerbedrijf."))
        return chosen

    def clean_bestand(self) -> Any:
        upload = self.cleaned_data["bestand"]
        if upload.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 2 MB: splits het op."))
        return upload


class LeerbaanAdminForm(TextRulesMixin, forms.ModelForm):
    """The admin's leerbaan form: the same rules as the werkgever's (``leerbaan_validate``),
    so beheer cannot give a leerbaan a kwalificatie its leerbedrijf is not erkend for on the
    start date, nor a vestiging of another leerbedrijf."""

    class Meta:
        model = Leerbaan
        # Status and places taken are the workflow's.
        fields = ["leerbedrijf", *services.LEERBAAN_FIELDS, "is_demo"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        leerbedrijf = cleaned.get("leerbedrijf")
        if leerbedrijf is None or self.errors:
            return cleaned
        fields = {name: cleaned.get(name) for name in services.LEERBAAN_FIELDS}
        fields["werkprocessen"] = list(cleaned.get("werkprocessen") or [])
        existing = self.instance if self.instance.pk else None
        try:
            services.leerbaan_validate(leerbedrijf=leerbedrijf, fields=fields, leerbaan=existing)
        except ValidationError as exc:
            service_errors_add(self, exc, aliases=ROUTE_ALIASES)
        return cleaned
