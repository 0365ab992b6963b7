"""``manage.py import_mbo_instellingen [data_dir] [--skip-invalid]``: mbo-instellingen by BRIN.

Reads ``mbo_instellingen_brin_cedanl.csv`` (columns ``school, BRIN``; 57 rows; shared/data/
SOURCES.md §4). The BRIN is checked with python-stdnum (``stdnum.nl.brin``) and must be a
4-character instellingscode (not a 6-character vestiging code); the name has its whitespace,
incl. non-breaking spaces, normalised. An instelling's ``organisation`` link is left alone.
"""

from pathlib import Path
from typing import Any

from stdnum.exceptions import ValidationError
from stdnum.nl import brin as brin_number

from opleidingen.models import MboInstelling
from praktijkleren.importing import (
    ReferenceImportCommand,
    RowErrors,
    UpsertResult,
    normalise_space,
    read_csv,
    upsert,
)

INSTELLINGEN_FILE = "mbo_instellingen_brin_cedanl.csv"


def _row(row: dict[str, str]) -> dict[str, str]:
    """``{"brin", "naam"}`` of a valid row; raises ``ValueError`` naming the problem."""
    try:
        brin = brin_number.validate(row["BRIN"])
    except ValidationError as exc:
        raise ValueError(f"BRIN {row['BRIN']!r} is not valid ({exc})") from None
    if len(brin) != 4:
        raise ValueError(f"BRIN {brin!r} is a vestiging code; expected 4 characters")
    naam = normalise_space(row["school"])
    if not naam or len(naam) > 200:
        raise ValueError("school is empty or longer than 200 characters")
    return {"brin": brin, "naam": naam}


class Command(ReferenceImportCommand):
    help = "Load the mbo-instellingen (BRIN and name) from the data dir."

    def import_data(
        self, *, data_dir: Path, errors: RowErrors, options: dict[str, Any]
    ) -> dict[str, UpsertResult]:
        path = data_dir / INSTELLINGEN_FILE
        rows, seen = [], {}
        for line, raw in read_csv(path, required=("school", "BRIN"), errors=errors):
            try:
                row = _row(raw)
                if row["brin"] in seen:
                    raise ValueError(f"duplicate BRIN {row['brin']} (line {seen[row['brin']]})")
            except ValueError as exc:
                errors.add(path.name, line, str(exc))
                continue
            seen[row["brin"]] = line
            rows.append(row)
        result = upsert(model=MboInstelling, key=("brin",), rows=rows)
        result.skipped = len(errors)
        return {"MboInstelling": result}
