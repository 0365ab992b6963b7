"""The werkgever's bulk upload of leerbanen from a CSV file: the columns, and reading one row
into the fields of ``leerbedrijven.services.leerbaan_create`` / ``leerbaan_update``.

The columns are documented once, in ``COLUMNS``; the upload page and
``docs/leerbanen-upload.md`` show them. ``leerbedrijven.services.leerbanen_upload`` validates
every row, reports each bad one (line, column, Dutch reason) and writes nothing unless every row
is valid or the werkgever chose to skip the bad rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerbedrijven import selectors
from leerbedrijven.constants import (
    MAX_HOURS_PER_WEEK,
    MAX_PLACES,
    MIN_HOURS_PER_WEEK,
    OMSCHRIJVING_MAX_CHARS,
)
from leerbedrijven.models import Leerbedrijf, Praktijkopleider
from opleidingen.constants import Route
from opleidingen.models import Kwalificatie
from opleidingen.selectors import werkprocessen_of
from praktijkleren.importing import RowErrors, read_csv_rows
from praktijkleren.validators import no_control_characters, no_control_characters_multiline


@dataclasses.dataclass(frozen=True)
class Column:
    """One column of the upload: its header ``name``, whether it must have a value and what
    it holds (Dutch, for the page and the docs)."""

    name: str
    required: bool
    help: Any


COLUMNS = (
    Column(
        "external_ref",
        True,
        gettext_lazy(
            "Uw eigen vaste kenmerk van de leerbaan (ten hoogste 64 tekens). Upload u hetzelfde "
            "kenmerk opnieuw, dan wordt die leerbaan bijgewerkt in plaats van dubbel gemaakt."
        ),
    ),
    Column("titel", True, gettext_lazy("De titel van de leerbaan.")),
    Column("omschrijving", False, gettext_lazy("Wat de kandidaat doet en leert.")),
    Column(
        "vestigingsnummer",
        True,
        gettext_lazy("Het vestigingsnummer (12 cijfers) van een vestiging van uw leerbedrijf."),
    ),
    Column(
        "crebo",
        True,
        gettext_lazy(
            "Het crebonummer (5 cijfers) van de kwalificatie; uw leerbedrijf is er op de "
            "startdatum voor erkend (BBL)."
        ),
    ),
    Column(
        "werkprocessen",
        False,
        gettext_lazy(
            "Codes van werkprocessen van die kwalificatie, gescheiden door puntkomma's, "
            "bijvoorbeeld B1-K1-W1;B1-K1-W2."
        ),
    ),
    Column(
        "routes",
        True,
        gettext_lazy(
            "Een of meer van praktijkverklaring, certificaat en diploma, gescheiden door "
            "puntkomma's."
        ),
    ),
    Column("uren_per_week", True, gettext_lazy("Een heel getal van 12 tot en met 40.")),
    Column("plaatsen", True, gettext_lazy("Het aantal plaatsen, ten minste 1.")),
    Column("startdatum", True, gettext_lazy("JJJJ-MM-DD of DD-MM-JJJJ.")),
    Column(
        "sluitingsdatum",
        True,
        gettext_lazy(
            "JJJJ-MM-DD of DD-MM-JJJJ, uiterlijk de startdatum; de leerbaan sluit aan het eind "
            "van die dag."
        ),
    ),
    Column(
        "praktijkopleider",
        True,
        gettext_lazy(
            "De naam of het e-mailadres van een actieve praktijkopleider van uw leerbedrijf "
            "die de kwalificatie begeleidt."
        ),
    ),
    Column(
        "publiceren",
        False,
        gettext_lazy(
            "ja of nee (leeg is nee). Met ja wordt een nieuwe leerbaan meteen gepubliceerd."
        ),
    ),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
# The service's field → the column a refusal of it is reported in.
FIELD_COLUMNS = {
    "external_ref": "external_ref",
    "titel": "titel",
    "omschrijving": "omschrijving",
    "vestiging": "vestigingsnummer",
    "kwalificatie": "crebo",
    "werkprocessen": "werkprocessen",
    "routes": "routes",
    "supports_praktijkverklaring": "routes",
    "supports_certificaat": "routes",
    "supports_diploma": "routes",
    "hours_per_week": "uren_per_week",
    "places": "plaatsen",
    "start_date": "startdatum",
    "closing_date": "sluitingsdatum",
    "praktijkopleider": "praktijkopleider",
}
ROUTE_WORDS = {
    "praktijkverklaring": "supports_praktijkverklaring",
    "certificaat": "supports_certificaat",
    "mbo-certificaat": "supports_certificaat",
    "diploma": "supports_diploma",
    "mbo-diploma": "supports_diploma",
}
YES, NO = {"ja", "j", "yes", "y", "1", "waar"}, {"", "nee", "n", "no", "0", "onwaar"}
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y")


@dataclasses.dataclass
class UploadRow:
    """One valid row: its ``line``, the leerbaan ``fields`` (``LEERBAAN_FIELDS``) and whether
    to ``publish`` it."""

    line: int
    fields: dict[str, Any]
    publish: bool


def csv_rows(content: bytes, *, name: str, errors: RowErrors) -> list[tuple[int, dict[str, str]]]:
    """The data rows of an uploaded CSV file ``content`` (UTF-8, a BOM allowed; commas or
    semicolons, whichever the header uses), as ``(line, row)``; bad lines go to ``errors``."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        errors.add(name, 1, _("Het bestand is geen UTF-8-tekst. Sla het op als CSV (UTF-8)."))
        return []
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    required = [column.name for column in COLUMNS if column.required]
    return list(
        read_csv_rows(
            io.StringIO(text, newline=""),
            name=name,
            required=required,
            errors=errors,
            delimiter=delimiter,
            messages={
                "missing": _("Deze kolommen ontbreken: %(columns)s."),
                "fields": _("%(found)d velden in plaats van %(expected)d."),
            },
        )
    )


def _date(value: str) -> dt.date:
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


class Lookups:
    """What the rows of one upload refer to, read once per upload (not once per row)."""

    def __init__(self, leerbedrijf: Leerbedrijf) -> None:
        self.vestigingen = {v.vestigingsnummer: v for v in leerbedrijf.vestigingen.all()}
        self.kwalificaties: dict[str, Kwalificatie | None] = {}
        self.werkprocessen: dict[int, dict[str, Any]] = {}
        self.opleiders = list(selectors.praktijkopleiders_for(leerbedrijf=leerbedrijf))

    def kwalificatie(self, crebo: str) -> Kwalificatie | None:
        if crebo not in self.kwalificaties:
            self.kwalificaties[crebo] = Kwalificatie.objects.filter(crebo=crebo).first()
        return self.kwalificaties[crebo]

    def werkprocessen_of(self, kwalificatie: Kwalificatie) -> dict[str, Any]:
        if kwalificatie.pk not in self.werkprocessen:
            self.werkprocessen[kwalificatie.pk] = {
                w.code.upper(): w for w in werkprocessen_of(kwalificatie=kwalificatie)
            }
        return self.werkprocessen[kwalificatie.pk]

    def praktijkopleider(self, value: str) -> Praktijkopleider | list[Praktijkopleider] | None:
        wanted = value.strip().casefold()
        found = [
            p
            for p in self.opleiders
            if p.naam.strip().casefold() == wanted or (p.email and p.email.casefold() == wanted)
        ]
        if len(found) > 1:
            return found
        return found[0] if found else None


def row_read(
    row: dict[str, str], *, line: int, name: str, lookups: Lookups, errors: RowErrors
) -> UploadRow | None:
    """The leerbaan fields of one CSV ``row``, or None after adding its faults to ``errors``
    (each with its column). Checks what can be read from the row alone; the domain rules
    (erkenning on the start date, edit rules, ...) are ``leerbaan_validate``'s."""
    before = len(errors)

    def bad(column: str, reason: str) -> None:
        errors.add(name, line, reason, column=column)

    value = {key: (row.get(key) or "").strip() for key in COLUMN_NAMES}
    for column in COLUMNS:
        if column.required and not value[column.name]:
            bad(column.name, _("Vul deze kolom in."))
    fields: dict[str, Any] = {
        "external_ref": value["external_ref"],
        "titel": value["titel"],
        "omschrijving": value["omschrijving"],
    }
    if len(value["external_ref"]) > 64:
        bad("external_ref", _("Ten hoogste 64 tekens."))
    if len(value["titel"]) > 200:
        bad("titel", _("Ten hoogste 200 tekens."))
    if len(value["omschrijving"]) > OMSCHRIJVING_MAX_CHARS:
        bad("omschrijving", _("Ten hoogste %(n)d tekens.") % {"n": OMSCHRIJVING_MAX_CHARS})
    for column in ("external_ref", "titel", "omschrijving"):
        rule = (
            no_control_characters_multiline if column == "omschrijving" else no_control_characters
        )
        try:
            rule(value[column])
        except ValidationError as exc:
            bad(column, " ".join(exc.messages))
    if value["vestigingsnummer"]:
        fields["vestiging"] = lookups.vestigingen.get(value["vestigingsnummer"])
        if fields["vestiging"] is None:
            bad("vestigingsnummer", _("Uw leerbedrijf heeft geen vestiging met dit nummer."))
    kwalificatie = None
    if value["crebo"]:
        kwalificatie = lookups.kwalificatie(value["crebo"])
        if kwalificatie is None:
            bad("crebo", _("Onbekend crebonummer."))
        fields["kwalificatie"] = kwalificatie
    codes = [code.strip().upper() for code in value["werkprocessen"].split(";") if code.strip()]
    if kwalificatie is not None:
        known = lookups.werkprocessen_of(kwalificatie)
        unknown = [code for code in codes if code not in known]
        if unknown:
            bad(
                "werkprocessen",
                _("Geen werkprocessen van deze kwalificatie: %(codes)s.")
                % {"codes": ", ".join(unknown)},
            )
        fields["werkprocessen"] = [known[code] for code in codes if code in known]
    routes = [word.strip().casefold() for word in value["routes"].split(";") if word.strip()]
    unknown_routes = [word for word in routes if word not in ROUTE_WORDS]
    if unknown_routes:
        bad(
            "routes",
            _("Onbekende route: %(routes)s. Kies uit %(choices)s.")
            % {
                "routes": ", ".join(unknown_routes),
                "choices": ", ".join(str(r) for r in Route.values),
            },
        )
    for flag in set(ROUTE_WORDS.values()):
        fields[flag] = any(ROUTE_WORDS.get(word) == flag for word in routes)
    for column, field, low, high in (
        ("uren_per_week", "hours_per_week", MIN_HOURS_PER_WEEK, MAX_HOURS_PER_WEEK),
        ("plaatsen", "places", 1, MAX_PLACES),
    ):
        if value[column]:
            try:
                fields[field] = int(value[column])
            except ValueError:
                bad(column, _("Geen heel getal."))
                continue
            if not low <= fields[field] <= high:
                bad(column, _("Kies van %(low)d tot en met %(high)d.") % {"low": low, "high": high})
    for column, field in (("startdatum", "start_date"), ("sluitingsdatum", "closing_date")):
        if value[column]:
            try:
                fields[field] = _date(value[column])
            except ValueError:
                bad(column, _("Geen datum: schrijf JJJJ-MM-DD of DD-MM-JJJJ."))
    if value["praktijkopleider"]:
        opleider = lookups.praktijkopleider(value["praktijkopleider"])
        if isinstance(opleider, list):
            bad(
                "praktijkopleider",
                _("Meer dan één praktijkopleider heet zo: geef het e-mailadres."),
            )
        elif opleider is None:
            bad(
                "praktijkopleider",
                _(
                    "Geen actieve praktijkopleider van uw leerbedrijf met deze naam of dit "
                    "e-mailadres."
                ),
            )
        else:
            fields["praktijkopleider"] = opleider
    publish = value["publiceren"].casefold()
    if publish not in YES | NO:
        bad("publiceren", _("Schrijf ja of nee."))
    if len(errors) > before:
        return None
    return UploadRow(line=line, fields=fields, publish=publish in YES)
