"""Forms of the werkgever's leerbedrijf profile: the leerbedrijf, its vestigingen, contact
persons and praktijkopleiders. Validation only; the views save through ``services``.

Numbers are checked on their format with Dutch messages: the KvK-nummer (8 digits; python-stdnum
has no KvK module), SBB's leerbedrijf-id (9 digits), the vestigingsnummer (12 digits); the
postcode with ``stdnum.nl.postcode`` and against the PC4 reference data; phone numbers with
``phonenumbers`` (region NL), stored in E.164 (``+31612345678``).
"""

import re
from typing import Any

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.nl import postcode as stdnum_postcode

from leerbedrijven.models import ContactPerson, Leerbedrijf, Praktijkopleider, Vestiging
from leerbedrijven.selectors import kwalificaties_erkend_from
from opleidingen.models import Kwalificatie
from praktijkleren.geo.models import Postcode
from praktijkleren.ui.forms import TextRulesMixin

# A praktijkopleider supervises at most this many candidates at once (a sanity bound).
MAX_CAPACITY = 50
_SEPARATORS = re.compile(r"[\s.\-]")


def _digits(value: str) -> str:
    """``value`` without spaces, dots and dashes (people type "1234 5678")."""
    return _SEPARATORS.sub("", value or "")


def phone_clean(value: str) -> str:
    """A Dutch (or, with +, international) phone number in E.164 (``+31301234567``); empty
    stays empty. Raises ``forms.ValidationError`` with a Dutch message."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(
            _("Dit is geen geldig telefoonnummer, zoals 06 12345678 of 030 1234567."),
            code="phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_national(value: str) -> str:
    """An E.164 number as people in the Netherlands write it (``030 123 4567``); a foreign
    number in international format; anything unparsable as it is."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        return value
    if number.country_code == 31:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


class LeerbedrijfForm(TextRulesMixin, forms.ModelForm):
    """The leerbedrijf's profile: naam, KvK-nummer (8 digits, unique), SBB leerbedrijf-id
    (9 digits, optional) and website (optional; without scheme it is https)."""

    # Longer than the numbers themselves: people type spaces and dots ("1234 5678").
    kvk_nummer = forms.CharField(
        label=_("KvK-nummer"), max_length=20, help_text=_("Acht cijfers, zoals 12345678.")
    )
    sbb_leerbedrijf_id = forms.CharField(
        label=_("SBB leerbedrijf-id"),
        max_length=20,
        required=False,
        help_text=_("Negen cijfers, het nummer waaronder SBB u erkent."),
    )
    website = forms.URLField(
        label=_("Website"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Leerbedrijf
        fields = ["naam", "kvk_nummer", "sbb_leerbedrijf_id", "website"]
        labels = {"naam": _("Naam")}

    def clean_kvk_nummer(self) -> str:
        value = _digits(self.cleaned_data["kvk_nummer"])
        if not re.fullmatch(r"[0-9]{8}", value):
            raise forms.ValidationError(
                _("Een KvK-nummer bestaat uit 8 cijfers, zoals 12345678."), code="format"
            )
        others = Leerbedrijf.objects.exclude(pk=self.instance.pk)
        if others.filter(kvk_nummer=value).exists():
            raise forms.ValidationError(
                _("KvK-nummer %(kvk)s hoort al bij een ander leerbedrijf in het portaal.")
                % {"kvk": value},
                code="unique",
            )
        return value

    def clean_sbb_leerbedrijf_id(self) -> str:
        value = _digits(self.cleaned_data["sbb_leerbedrijf_id"])
        if value and not re.fullmatch(r"[0-9]{9}", value):
            raise forms.ValidationError(
                _("Een SBB leerbedrijf-id bestaat uit 9 cijfers, zoals 100123456."),
                code="format",
            )
        return value

    def validate_unique(self) -> None:
        """Uniqueness is checked in ``clean_kvk_nummer``, with a clearer message."""


class VestigingForm(TextRulesMixin, forms.ModelForm):
    """A vestiging: naam, vestigingsnummer (12 digits, unique), straat en huisnummer, the
    whole postcode ("1234 AB": stored as the PC4 and its letters) and plaats."""

    vestigingsnummer = forms.CharField(
        label=_("Vestigingsnummer"),
        max_length=24,
        help_text=_("Twaalf cijfers, zoals 000012345678 (uit het KvK-uittreksel)."),
    )
    postcode_text = forms.CharField(
        label=_("Postcode"),
        max_length=12,
        help_text=_("Vier cijfers en twee letters, zoals 3511 AB."),
    )

    field_order = ["naam", "vestigingsnummer", "straat", "postcode_text", "plaats"]

    class Meta:
        model = Vestiging
        fields = ["naam", "vestigingsnummer", "straat", "plaats"]
        labels = {
            "naam": _("Naam"),
            "straat": _("Straat en huisnummer"),
            "plaats": _("Plaats"),
        }
        help_texts = {"straat": _("Bijvoorbeeld Oudegracht 12a.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("straat", "plaats"):
            self.fields[name].required = True
        if self.instance.pk and self.instance.postcode_id:
            letters = self.instance.postcode_letters
            self.initial["postcode_text"] = f"{self.instance.postcode_id} {letters}".strip()

    def clean_vestigingsnummer(self) -> str:
        value = _digits(self.cleaned_data["vestigingsnummer"])
        if not re.fullmatch(r"[0-9]{12}", value):
            raise forms.ValidationError(
                _("Een vestigingsnummer bestaat uit 12 cijfers, zoals 000012345678."),
                code="format",
            )
        others = Vestiging.objects.exclude(pk=self.instance.pk)
        if others.filter(vestigingsnummer=value).exists():
            raise forms.ValidationError(
                _("Vestigingsnummer %(nummer)s hoort al bij een andere vestiging in het portaal.")
                % {"nummer": value},
                code="unique",
            )
        return value

    def clean_postcode_text(self) -> tuple[Postcode, str]:
        """(the PC4 ``Postcode``, the two letters) from "1234 AB"."""
        raw = self.cleaned_data["postcode_text"]
        try:
            value = stdnum_postcode.validate(raw)
        except StdnumValidationError as exc:
            if raw.strip().startswith("0"):
                message = _("Een Nederlandse postcode begint niet met 0, zoals 3511 AB.")
            else:
                message = _(
                    "Vul een hele postcode in: vier cijfers en twee letters, zoals 3511 AB."
                )
            raise forms.ValidationError(message, code="format") from exc
        pc4, letters = value.split(" ")
        postcode = Postcode.objects.filter(pc4=pc4).first()
        if postcode is None:
            raise forms.ValidationError(
                _(
                    "Postcode %(pc4)s komt niet voor in de postcodetabel van het portaal. "
                    "Controleer de cijfers."
                )
                % {"pc4": pc4},
                code="unknown",
            )
        return postcode, letters

    def validate_unique(self) -> None:
        """Uniqueness is checked in ``clean_vestigingsnummer``, with a clearer message."""

    def service_data(self) -> dict[str, Any]:
        """What ``services.vestiging_create``/``vestiging_update`` take."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "postcode_text"}
        data["postcode"], data["postcode_letters"] = self.cleaned_data["postcode_text"]
        return data


class ContactPersonForm(TextRulesMixin, forms.ModelForm):
    """A contact person: naam, functie, e-mail and telefoon (one of the two is needed)."""

    class Meta:
        model = ContactPerson
        fields = ["naam", "functie", "email", "telefoon"]
        labels = {
            "naam": _("Naam"),
            "functie": _("Functie"),
            "email": _("E-mailadres"),
            "telefoon": _("Telefoonnummer"),
        }
        help_texts = {"telefoon": _("Zoals 030 1234567 of 06 12345678.")}

    def clean_telefoon(self) -> str:
        return phone_clean(self.cleaned_data["telefoon"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("email") and not cleaned.get("telefoon"):
            self.add_error("email", _("Vul een e-mailadres of een telefoonnummer in."))
        return cleaned


class PraktijkopleiderForm(TextRulesMixin, forms.ModelForm):
    """A praktijkopleider: naam, e-mail, telefoon, vestiging (only the leerbedrijf's),
    kwalificaties (only those the leerbedrijf is erkend for in BBL, valid today or later) and
    capacity (1–50 candidates at once)."""

    capacity = forms.IntegerField(
        label=_("Capaciteit"),
        min_value=1,
        max_value=MAX_CAPACITY,
        initial=1,
        help_text=_("Hoeveel kandidaten deze praktijkopleider tegelijk begeleidt (1 tot 50)."),
        error_messages={
            "min_value": _("Een praktijkopleider begeleidt ten minste 1 kandidaat."),
            "max_value": _("Kies een capaciteit van hoogstens 50 kandidaten."),
        },
    )

    class Meta:
        model = Praktijkopleider
        fields = ["naam", "email", "telefoon", "vestiging", "kwalificaties", "capacity"]
        labels = {
            "naam": _("Naam"),
            "email": _("E-mailadres"),
            "telefoon": _("Telefoonnummer"),
            "vestiging": _("Vestiging"),
            "kwalificaties": _("Kwalificaties die deze praktijkopleider begeleidt"),
        }
        help_texts = {
            "telefoon": _("Zoals 030 1234567 of 06 12345678."),
            "kwalificaties": _(
                "Alleen kwalificaties waarvoor het leerbedrijf nu of later erkend is (BBL)."
            ),
        }
        widgets = {"kwalificaties": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, leerbedrijf: Leerbedrijf, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.leerbedrijf = leerbedrijf
        if self.instance.leerbedrijf_id is None:
            self.instance.leerbedrijf = leerbedrijf
        self.fields["vestiging"].queryset = leerbedrijf.vestigingen.order_by("naam", "pk")
        self.fields["vestiging"].empty_label = None
        self.fields["vestiging"].error_messages["invalid_choice"] = _(
            "Kies een vestiging van dit leerbedrijf."
        )
        kwalificaties = self.fields["kwalificaties"]
        kwalificaties.queryset = kwalificaties_erkend_from(leerbedrijf=leerbedrijf)
        kwalificaties.label_from_instance = Kwalificatie.choice_label
        kwalificaties.error_messages["required"] = _(
            "Kies ten minste één kwalificatie die deze praktijkopleider begeleidt."
        )
        kwalificaties.error_messages["invalid_choice"] = _(
            "Kies alleen kwalificaties waarvoor het leerbedrijf nu of later erkend is (BBL)."
        )

    def clean_telefoon(self) -> str:
        return phone_clean(self.cleaned_data["telefoon"])
