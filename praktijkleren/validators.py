"""Validators shared by the portal's forms (issue 9, "bad input"): no control characters in
text, free text of bounded length, dates within a sensible range. Messages are Dutch; each
raises ``django.core.exceptions.ValidationError`` so a form shows it at its field."""

import datetime as dt
import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from stdnum.nl import bsn as stdnum_bsn

# Free text a user types in a portal form (a motivation, a note, a reason) is at most this many
# characters unless the form says otherwise.
FREE_TEXT_MAX_CHARS = 2000

# Unicode's control characters (category Cc: C0, DEL, C1) and the line and paragraph
# separators. A multi-line text keeps tab, line feed and carriage return.
_CONTROL_SINGLE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_MULTI_LINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


# Characters that render as nothing although Unicode does not class them as format characters
# (Hangul fillers, the Mongolian vowel separator, the braille blank).
_BLANK_LOOKING = frozenset("\u115f\u1160\u180e\u2800\u3164\uffa0")


def _invisible(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) == "Cf" or char in _BLANK_LOOKING


def no_control_characters(value: str) -> None:
    """Refuse a one-line text (a name, a number, a place) holding a control character,
    a tab or a line break included (code ``control_character``); a Unicode format character
    (category Cf: the bidirectional overrides and isolates such as U+202E, zero-width spaces
    and joiners, the soft hyphen), which hides or reorders what a reader sees (code
    ``format_character``); and a non-empty value with nothing visible in it, only spaces and
    blank-looking characters (code ``invisible``). Raises ``ValidationError``."""
    text = str(value)
    if _CONTROL_SINGLE_LINE.search(text):
        raise ValidationError(
            _("Deze tekst bevat een onzichtbaar stuurteken of een regeleinde: haal het weg."),
            code="control_character",
        )
    if any(unicodedata.category(char) == "Cf" for char in text):
        raise ValidationError(
            _(
                "Deze tekst bevat een onzichtbaar teken dat de tekst verbergt of omkeert "
                "(bijvoorbeeld een spatie zonder breedte of een richtingsteken): typ de tekst "
                "opnieuw zonder plakken."
            ),
            code="format_character",
        )
    if text and all(_invisible(char) for char in text):
        raise ValidationError(
            _("Deze tekst bestaat alleen uit spaties of onzichtbare tekens: vul echte tekst in."),
            code="invisible",
        )


def no_control_characters_multiline(value: str) -> None:
    """Refuse a multi-line text holding a control character other than tab, line feed and
    carriage return. Raises ``ValidationError`` (code ``control_character``)."""
    if _CONTROL_MULTI_LINE.search(str(value)):
        raise ValidationError(
            _("Deze tekst bevat een onzichtbaar stuurteken: haal het weg."),
            code="control_character",
        )


def date_within(
    value: dt.date | None, *, past_days: int, future_days: int, today: dt.date | None = None
) -> dt.date | None:
    """``value`` unchanged when it lies from ``past_days`` days before ``today`` (default: the
    local date) to ``future_days`` days after it; None stays None. Raises ``ValidationError``
    (code ``date_range``) naming both limits in Dutch."""
    if value is None:
        return None
    today = today or timezone.localdate()
    earliest = today - dt.timedelta(days=past_days)
    latest = today + dt.timedelta(days=future_days)
    if not earliest <= value <= latest:
        raise ValidationError(
            _("Kies een datum tussen %(van)s en %(tot)s.")
            % {"van": date_format(earliest, "j F Y"), "tot": date_format(latest, "j F Y")},
            code="date_range",
        )
    return value


# --- personal data in a text that must not hold any -------------------------------------------

_NINE_DIGITS = re.compile(r"(?<![0-9])[0-9][0-9 .]{7,11}[0-9](?![0-9])")
_EMAIL = re.compile(r"[^\s@<>()\[\],;:\"]+@[^\s@<>()\[\],;:\"]+\.[^\s@<>()\[\],;:\"]{2,}")

# A Dutch mobile number (06, +31 6, 0031 6 and eight digits), also in a range ``phonenumbers``
# does not know as assigned (06-7…): the matcher finds only valid numbers.
_DUTCH_MOBILE = re.compile(
    r"(?<![0-9])(?:\+31|0031|0)[ -]?\(?0?\)?6[ -]?(?:[0-9][ .-]?){7}[0-9](?![0-9])"
)


def bsn_in(text: str) -> bool:
    """``text`` holds a number that passes the BSN's 11-proef (nine digits, spaces and dots
    allowed between them: ``999981468``, ``9999 81 468``, ``999.981.468``)."""
    for match in _NINE_DIGITS.finditer(text):
        digits = re.sub(r"[ .]", "", match.group())
        if len(digits) == 9 and stdnum_bsn.is_valid(digits):
            return True
    return False


def _name_in(text: str, names: tuple[str, ...]) -> bool:
    words = set()
    for name in names:
        name = " ".join(str(name or "").split())
        if len(name) >= 2:
            words.add(name)
        # A surname with a tussenvoegsel ("de Vries") is also found without it.
        parts = name.split(" ")
        if len(parts) > 1 and len(parts[-1]) >= 3:
            words.add(parts[-1])
    folded = " ".join(text.split()).casefold()
    return any(re.search(rf"(?<!\w){re.escape(word.casefold())}(?!\w)", folded) for word in words)


def no_personal_data(value: str, *, names: tuple[str, ...] = ()) -> None:
    """Refuse a text that must not hold personal data (a note kept after an erasure) when it
    holds a BSN (``bsn_in``: code ``bsn``), a phone number (``phonenumbers.PhoneNumberMatcher``,
    region NL, and any Dutch mobile number: code ``phone``), an e-mail address (code
    ``email``) or one of ``names`` (the person's first and last name, as whole words, case
    ignored; a surname also without its
    tussenvoegsel: code ``name``). Raises ``ValidationError`` with a Dutch message naming what
    to take out."""
    text = str(value)
    if bsn_in(text):
        raise ValidationError(
            _("Haal het BSN uit deze tekst: noem geen persoonsgegevens."), code="bsn"
        )
    if _DUTCH_MOBILE.search(text) or any(
        True for _match in phonenumbers.PhoneNumberMatcher(text, "NL")
    ):
        raise ValidationError(
            _("Haal het telefoonnummer uit deze tekst: noem geen persoonsgegevens."), code="phone"
        )
    if _EMAIL.search(text):
        raise ValidationError(
            _("Haal het e-mailadres uit deze tekst: noem geen persoonsgegevens."), code="email"
        )
    if _name_in(text, names):
        raise ValidationError(
            _(
                "Haal de naam van de kandidaat uit deze tekst: noem geen persoonsgegevens, "
                "schrijf bijvoorbeeld ‘de kandidaat’."
            ),
            code="name",
        )
