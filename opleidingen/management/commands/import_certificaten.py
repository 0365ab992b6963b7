"""``manage.py import_certificaten [data_dir] [--skip-invalid]``: mbo-certificaten.

Reads from ``data_dir`` (default ``settings.REFERENCE_DATA_DIR``) whichever of these is there
(at least one must be):

- ``certificaten.csv``: the portal's own format (``docs/import-certificaten.md``), ``;``-separated,
  columns ``code;naam;crebos;kerntaken;werkprocessen;keuzedeel;bron;vastgesteld_op;demo``;
- ``mbo_certificaten_groen_regeling_2012-2015.csv``: the certificates of the Regeling certificaten
  groen beroepsonderwijs (BWBR0032494, art. 1; shared/data/SOURCES.md §6), read by a second small
  reader into the same rows (see ``regulation_rows``).

Row rules as the other reference importers (``praktijkleren/importing.py``): every bad row is
reported as ``<file>:<line>: column <name>: <reason>``; one bad row refuses the run (nothing is
written) unless ``--skip-invalid``; one transaction. Certificates are upserted by ``code``: its
fields and its kwalificaties, kerntaken and werkprocessen are set to what the file says, and a
second run of the same files changes nothing. Certificates no longer in a file are left alone
(enrolments may point at them).
"""

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from opleidingen.models import Certificaat, Kerntaak, Kwalificatie, Werkproces
from praktijkleren.importing import (
    ReferenceImportCommand,
    RowErrors,
    UpsertResult,
    normalise_space,
    read_csv_rows,
)

CSV_NAME = "certificaten.csv"
REGULATION_NAME = "mbo_certificaten_groen_regeling_2012-2015.csv"
COLUMNS = (
    "code",
    "naam",
    "crebos",
    "kerntaken",
    "werkprocessen",
    "keuzedeel",
    "bron",
    "vastgesteld_op",
    "demo",
)
REGULATION_COLUMNS = (
    "versie_datum",
    "versie_commit",
    "onderdeel",
    "certificeerbare_eenheid",
    "gekoppelde_kwalificaties",
    "crebocodes_in_regeling",
)
REGULATION = "Regeling certificaten groen beroepsonderwijs (BWBR0032494)"
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$")
CREBO = re.compile(r"^[0-9]{5}$")
KEUZEDEEL = re.compile(r"^K[0-9]{4}$")
KERNTAAK = re.compile(r"^[BP][0-9]+-K[0-9]+$")
WERKPROCES = re.compile(r"^[BP][0-9]+-K[0-9]+-W[0-9]+$")
DEMO = {"": False, "0": False, "1": True}


class RowRefused(ValueError):
    """A bad value: ``column`` names where."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(f"column {column}: {reason}")
        self.column = column


@dataclass
class CertificaatRow:
    """One certificate as read, before it is checked against the database."""

    file: str
    line: int
    code: str
    naam: str
    crebos: list[str]
    kerntaken: list[str]
    werkprocessen: list[str]
    keuzedeel: str = ""
    bron: str = ""
    vastgesteld_op: str = ""
    demo: str = ""


@dataclass
class Resolved:
    """A checked certificate: its fields and the ids of its kwalificaties and parts."""

    fields: dict[str, Any]
    kwalificaties: set[int]
    kerntaken: set[int]
    werkprocessen: set[int]


def _split(value: str) -> list[str]:
    """``"a | b|c"`` as ``["a", "b", "c"]`` (empty parts dropped)."""
    return [part.strip() for part in value.split("|") if part.strip()]


class _Parts:
    """Kwalificaties by crebo, kerntaken and werkprocessen by (dossier id, code), as loaded."""

    def __init__(self) -> None:
        self.kwalificaties = {
            crebo: (pk, dossier_id)
            for crebo, pk, dossier_id in Kwalificatie.objects.values_list(
                "crebo", "pk", "dossier_id"
            )
        }
        self.kerntaken: dict[tuple[int, str], tuple[int, int | None]] = {
            (dossier_id, code): (pk, kwalificatie_id)
            for pk, dossier_id, code, kwalificatie_id in Kerntaak.objects.exclude(
                code=""
            ).values_list("pk", "dossier_id", "code", "kwalificatie_id")
        }
        self.werkprocessen: dict[tuple[int, str], tuple[int, int | None]] = {
            (dossier_id, code): (pk, kwalificatie_id)
            for pk, dossier_id, code, kwalificatie_id in Werkproces.objects.exclude(
                code=""
            ).values_list("pk", "kerntaak__dossier_id", "code", "kerntaak__kwalificatie_id")
        }

    def resolve(
        self,
        *,
        column: str,
        codes: list[str],
        pattern: re.Pattern[str],
        table: dict[tuple[int, str], tuple[int, int | None]],
        kwalificatie_ids: set[int],
        dossier_ids: set[int],
    ) -> set[int]:
        """The ids of ``codes`` within ``dossier_ids``: each code must name exactly one row of
        those dossiers, of the basisdeel or of a profiel of one of ``kwalificatie_ids``."""
        found = set()
        for code in codes:
            code = code.upper()
            if not pattern.match(code):
                raise RowRefused(column, f"{code!r} is not a code like {_example(column)}")
            hits = [table[(d, code)] for d in sorted(dossier_ids) if (d, code) in table]
            if not hits:
                raise RowRefused(column, f"{code} is not in the dossier of the row's crebos")
            if len(hits) > 1:
                raise RowRefused(column, f"{code} is in more than one of the row's dossiers")
            pk, kwalificatie_id = hits[0]
            if kwalificatie_id is not None and kwalificatie_id not in kwalificatie_ids:
                raise RowRefused(column, f"{code} is a profieldeel of another kwalificatie")
            found.add(pk)
        return found

    def check(self, row: CertificaatRow) -> Resolved:
        """The row's values checked and resolved; ``RowRefused`` at the first bad column."""
        if not CODE.match(row.code):
            raise RowRefused("code", f"{row.code!r} is not 1–30 letters, digits, '.', '-', '_'")
        if not row.naam or len(row.naam) > 250:
            raise RowRefused("naam", "empty or longer than 250 characters")
        if not row.crebos:
            raise RowRefused("crebos", "no crebo given")
        kwalificatie_ids, dossier_ids = set(), set()
        for crebo in row.crebos:
            if not CREBO.match(crebo):
                raise RowRefused("crebos", f"{crebo!r} is not 5 digits")
            if crebo not in self.kwalificaties:
                raise RowRefused("crebos", f"unknown crebo {crebo} (not a loaded kwalificatie)")
            pk, dossier_id = self.kwalificaties[crebo]
            kwalificatie_ids.add(pk)
            if dossier_id is not None:
                dossier_ids.add(dossier_id)
        scope = {"kwalificatie_ids": kwalificatie_ids, "dossier_ids": dossier_ids}
        kerntaken = self.resolve(
            column="kerntaken",
            codes=row.kerntaken,
            pattern=KERNTAAK,
            table=self.kerntaken,
            **scope,
        )
        werkprocessen = self.resolve(
            column="werkprocessen",
            codes=row.werkprocessen,
            pattern=WERKPROCES,
            table=self.werkprocessen,
            **scope,
        )
        keuzedeel = row.keuzedeel.upper()
        if keuzedeel and not KEUZEDEEL.match(keuzedeel):
            raise RowRefused("keuzedeel", f"{row.keuzedeel!r} is not K followed by 4 digits")
        if len(row.bron) > 250:
            raise RowRefused("bron", "longer than 250 characters")
        try:
            vastgesteld_op = (
                dt.date.fromisoformat(row.vastgesteld_op) if row.vastgesteld_op else None
            )
        except ValueError:
            raise RowRefused(
                "vastgesteld_op", f"{row.vastgesteld_op!r} is not a date YYYY-MM-DD"
            ) from None
        if row.demo not in DEMO:
            raise RowRefused("demo", f"{row.demo!r} is not 1, 0 or empty")
        return Resolved(
            fields={
                "naam": row.naam,
                "keuzedeel_code": keuzedeel,
                "bron": row.bron,
                "vastgesteld_op": vastgesteld_op,
                "is_demo": DEMO[row.demo],
            },
            kwalificaties=kwalificatie_ids,
            kerntaken=kerntaken,
            werkprocessen=werkprocessen,
        )


def _example(column: str) -> str:
    return "P1-K1" if column == "kerntaken" else "B1-K1-W2"


def csv_rows(path: Path, errors: RowErrors) -> list[CertificaatRow]:
    """The rows of a ``certificaten.csv`` (values whitespace-normalised)."""
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line, raw in read_csv_rows(
            handle, name=path.name, required=COLUMNS, errors=errors, delimiter=";"
        ):
            value = {c: normalise_space(raw[c]) for c in COLUMNS}
            rows.append(
                CertificaatRow(
                    file=path.name,
                    line=line,
                    code=value["code"],
                    naam=value["naam"],
                    crebos=_split(value["crebos"]),
                    kerntaken=_split(value["kerntaken"]),
                    werkprocessen=_split(value["werkprocessen"]),
                    keuzedeel=value["keuzedeel"],
                    bron=value["bron"],
                    vastgesteld_op=value["vastgesteld_op"],
                    demo=value["demo"],
                )
            )
    return rows


def regulation_rows(
    path: Path, errors: RowErrors, known_crebos: set[str]
) -> tuple[list[CertificaatRow], list[str], list[str]]:
    """The certificates of the regulation file as rows, the rows skipped (with why) and notes
    on rows of which some crebos were left out.

    One certificate per row: code ``BWBR0032494-<year>-<onderdeel>`` (plus ``-1``, ``-2``, ...
    in file order where one version lists several under one onderdeel), naam = the
    certificeerbare eenheid, bron = the regulation, its version and the onderdeel;
    ``vastgesteld_op`` empty (the file gives the version date of the text, not when the
    onderdeel was established). Real (not demo); no parts known. Attached to the crebos the
    regulation names that are loaded kwalificaties; a row naming none of those (most name
    kwalificaties by name only, and the names are not matched) is skipped with a message.
    """
    raw_rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line, raw in read_csv_rows(
            handle, name=path.name, required=REGULATION_COLUMNS, errors=errors
        ):
            raw_rows.append((line, {k: normalise_space(v) for k, v in raw.items()}))
    per_onderdeel: dict[tuple[str, str], int] = {}
    for _line, raw in raw_rows:
        key = (raw["versie_datum"][:4], raw["onderdeel"])
        per_onderdeel[key] = per_onderdeel.get(key, 0) + 1
    rows, skipped, notes = [], [], []
    numbered = dict.fromkeys(per_onderdeel, 0)
    for line, raw in raw_rows:
        key = (raw["versie_datum"][:4], raw["onderdeel"])
        numbered[key] += 1
        code = f"BWBR0032494-{key[0]}-{key[1]}"
        if per_onderdeel[key] > 1:
            code += f"-{numbered[key]}"
        eenheid = raw["certificeerbare_eenheid"]
        crebos = _split(raw["crebocodes_in_regeling"])
        where = f"{path.name}:{line}: {code} ({eenheid})"
        if not crebos:
            named = raw["gekoppelde_kwalificaties"] or "none"
            skipped.append(f"{where}: skipped: no crebo in the regulation (kwalificaties {named})")
            continue
        missing = [c for c in crebos if c not in known_crebos]
        if len(missing) == len(crebos):
            skipped.append(f"{where}: skipped: crebos {', '.join(crebos)} are not loaded")
            continue
        if missing:
            notes.append(f"{where}: crebos {', '.join(missing)} are not loaded, left out")
        rows.append(
            CertificaatRow(
                file=path.name,
                line=line,
                code=code,
                naam=eenheid[:1].upper() + eenheid[1:],
                crebos=[c for c in crebos if c in known_crebos],
                kerntaken=[],
                werkprocessen=[],
                bron=(
                    f"{REGULATION}, art. 1 onder {raw['onderdeel']}, versie {raw['versie_datum']}"
                )[:250],
                demo="0",
            )
        )
    return rows, skipped, notes


def certificaten_upsert(resolved: dict[str, Resolved]) -> UpsertResult:
    """Create or update each certificate by code (``resolved``: code → values), with exactly
    its kwalificaties, kerntaken and werkprocessen; counts what changed."""
    result = UpsertResult()
    existing = {
        c.code: c
        for c in Certificaat.objects.filter(code__in=list(resolved)).prefetch_related(
            "kwalificaties", "kerntaken", "werkprocessen"
        )
    }
    for code, values in resolved.items():
        certificaat = existing.get(code)
        links = {
            "kwalificaties": values.kwalificaties,
            "kerntaken": values.kerntaken,
            "werkprocessen": values.werkprocessen,
        }
        if certificaat is None:
            certificaat = Certificaat.objects.create(code=code, **values.fields)
            for name, ids in links.items():
                getattr(certificaat, name).set(ids)
            result.created += 1
            continue
        changed = False
        if any(getattr(certificaat, f) != v for f, v in values.fields.items()):
            for f, v in values.fields.items():
                setattr(certificaat, f, v)
            certificaat.save(update_fields=list(values.fields))
            changed = True
        for name, ids in links.items():
            if {o.pk for o in getattr(certificaat, name).all()} != ids:
                getattr(certificaat, name).set(ids)
                changed = True
        if changed:
            result.updated += 1
        else:
            result.unchanged += 1
    return result


class Command(ReferenceImportCommand):
    help = "Load mbo-certificaten (certificaten.csv and the green regulation's list)."

    def import_data(
        self, *, data_dir: Path, errors: RowErrors, options: dict[str, Any]
    ) -> dict[str, UpsertResult]:
        csv_path, regulation_path = data_dir / CSV_NAME, data_dir / REGULATION_NAME
        if not csv_path.is_file() and not regulation_path.is_file():
            raise CommandError(f"Neither {CSV_NAME} nor {REGULATION_NAME} in {data_dir}")
        parts = _Parts()
        rows: list[CertificaatRow] = []
        skipped: list[str] = []
        if regulation_path.is_file():
            found, skipped, notes = regulation_rows(
                regulation_path, errors, set(parts.kwalificaties)
            )
            rows += found
            for line in (*notes, *skipped):
                self.stdout.write(line)
        if csv_path.is_file():
            rows += csv_rows(csv_path, errors)
        resolved: dict[str, Resolved] = {}
        first: dict[str, str] = {}
        for row in rows:
            try:
                values = parts.check(row)
                if row.code in first:
                    raise RowRefused("code", f"duplicate {row.code} (first at {first[row.code]})")
            except RowRefused as exc:
                errors.add(row.file, row.line, str(exc), column=exc.column)
                continue
            first[row.code] = f"{row.file}:{row.line}"
            resolved[row.code] = values
        result = certificaten_upsert(resolved)
        result.skipped = len(errors) + len(skipped)
        return {"Certificaat": result}
