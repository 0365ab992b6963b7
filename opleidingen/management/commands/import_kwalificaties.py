"""``manage.py import_kwalificaties [data_dir] [--skip-invalid]``: dossiers and kwalificaties.

Reads ``kwalificaties_crebo_dossier_sector_cedanl.csv`` (4,288 rows; shared/data/SOURCES.md §3):

- ``Kwalificatiedossier`` from each distinct ``dossier_code``/``dossier_naam`` (code 0 = no
  dossier, skipped). Its sectorkamer is that of the dossier's own row in the file (every dossier
  code also occurs as a row), else the most common one among its kwalificaties.
- ``Kwalificatie`` per row: crebo, naam (whitespace normalised), niveau (1–4 or empty),
  niveau_naam, ``bbl``/``bol`` from the leerweg tokens, dossier, sectorkamer, and
  ``is_current`` = crebo 25000–27999 (``opleidingen.constants``; 1,037 rows in the 2026 file).
"""

import re
from collections import Counter
from pathlib import Path
from typing import Any

from opleidingen.constants import CURRENT_CREBO_MAX, CURRENT_CREBO_MIN
from opleidingen.models import Kwalificatie, Kwalificatiedossier
from praktijkleren.importing import (
    ReferenceImportCommand,
    RowErrors,
    UpsertResult,
    normalise_space,
    read_csv,
    upsert,
)

KWALIFICATIES_FILE = "kwalificaties_crebo_dossier_sector_cedanl.csv"
REQUIRED = (
    "code",
    "naam",
    "niveau",
    "niveau_naam",
    "leerweg",
    "dossier_code",
    "dossier_naam",
    "sectorkamer_code",
    "sectorkamer_naam",
)
CREBO = re.compile(r"^[0-9]{5}$")
SECTORKAMER = re.compile(r"^[0-9]{2}$")
LEERWEG_TOKENS = {"BBL", "BOL", "OVO", "CBL", "COL"}
NIVEAU_NAMEN = {
    "entreeopleiding",
    "basisberoepsopleiding",
    "vakopleiding",
    "middenkaderopleiding",
    "specialistenopleiding",
    "andere_opleiding",
}


def _row(row: dict[str, str]) -> dict[str, Any]:
    """One validated row as model values (``dossier``/``dossier_naam`` as in the file, code
    ``""`` for none); raises ``ValueError`` naming the bad column."""
    crebo = row["code"].strip()
    if not CREBO.match(crebo):
        raise ValueError(f"code {crebo!r} is not a 5-digit crebo")
    naam = normalise_space(row["naam"])
    if not naam or len(naam) > 250:
        raise ValueError("naam is empty or longer than 250 characters")
    niveau_text, niveau_naam = row["niveau"].strip(), row["niveau_naam"].strip()
    if niveau_text not in {"", "1", "2", "3", "4"}:
        raise ValueError(f"niveau {niveau_text!r} is not 1–4 or empty")
    if niveau_naam and niveau_naam not in NIVEAU_NAMEN:
        raise ValueError(f"unknown niveau_naam {niveau_naam!r}")
    if bool(niveau_text) != bool(niveau_naam):
        raise ValueError("niveau and niveau_naam must both be given or both be empty")
    tokens = [t.strip() for t in row["leerweg"].split(",") if t.strip()]
    unknown = [t for t in tokens if t not in LEERWEG_TOKENS]
    if unknown:
        raise ValueError(f"unknown leerweg {', '.join(unknown)} (known: BBL, BOL, OVO, CBL, COL)")
    dossier, dossier_naam = row["dossier_code"].strip(), normalise_space(row["dossier_naam"])
    if dossier == "0":
        dossier = ""
    elif not CREBO.match(dossier):
        raise ValueError(f"dossier_code {dossier!r} is not 0 or a 5-digit crebo")
    elif not dossier_naam or len(dossier_naam) > 200:
        raise ValueError("dossier_naam is empty or longer than 200 characters")
    sectorkamer, sectorkamer_naam = (
        row["sectorkamer_code"].strip(),
        normalise_space(row["sectorkamer_naam"]),
    )
    if not SECTORKAMER.match(sectorkamer):
        raise ValueError(f"sectorkamer_code {sectorkamer!r} is not two digits")
    if len(sectorkamer_naam) > 100:
        raise ValueError("sectorkamer_naam is longer than 100 characters")
    return {
        "crebo": crebo,
        "naam": naam,
        "niveau": int(niveau_text) if niveau_text else None,
        "niveau_naam": niveau_naam,
        "bbl": "BBL" in tokens,
        "bol": "BOL" in tokens,
        "dossier": dossier,
        "dossier_naam": dossier_naam,
        "sectorkamer_code": sectorkamer,
        "sectorkamer_naam": sectorkamer_naam,
        "is_current": CURRENT_CREBO_MIN <= int(crebo) <= CURRENT_CREBO_MAX,
    }


class Command(ReferenceImportCommand):
    help = "Load kwalificatiedossiers and kwalificaties (crebo list) from the data dir."

    def import_data(
        self, *, data_dir: Path, errors: RowErrors, options: dict[str, Any]
    ) -> dict[str, UpsertResult]:
        path = data_dir / KWALIFICATIES_FILE
        rows, seen, dossier_names = [], {}, {}
        for line, raw in read_csv(path, required=REQUIRED, errors=errors):
            try:
                row = _row(raw)
                if row["crebo"] in seen:
                    raise ValueError(f"duplicate code {row['crebo']} (line {seen[row['crebo']]})")
                first = dossier_names.get(row["dossier"])
                if row["dossier"] and first and first[0] != row["dossier_naam"]:
                    raise ValueError(
                        f"dossier {row['dossier']} is named {first[0]!r} on line {first[1]}"
                    )
            except ValueError as exc:
                errors.add(path.name, line, str(exc))
                continue
            seen[row["crebo"]] = line
            if row["dossier"]:
                dossier_names.setdefault(row["dossier"], (row["dossier_naam"], line))
            rows.append(row)

        by_crebo = {row["crebo"]: row for row in rows}
        sectorkamers: dict[str, Counter] = {}
        for row in rows:
            if row["dossier"]:
                sectorkamers.setdefault(row["dossier"], Counter())[
                    (row["sectorkamer_code"], row["sectorkamer_naam"])
                ] += 1
        dossiers = []
        for code, (naam, _line) in sorted(dossier_names.items()):
            own = by_crebo.get(code)
            if own is not None:
                sk_code, sk_naam = own["sectorkamer_code"], own["sectorkamer_naam"]
            else:  # most common, ties to the lowest code
                (sk_code, sk_naam), _ = min(sectorkamers[code].items(), key=lambda i: (-i[1], i[0]))
            dossiers.append(
                {
                    "code": code,
                    "naam": naam,
                    "sectorkamer_code": sk_code,
                    "sectorkamer_naam": sk_naam,
                }
            )
        dossier_result = upsert(model=Kwalificatiedossier, key=("code",), rows=dossiers)

        dossier_ids = dict(Kwalificatiedossier.objects.values_list("code", "id"))
        for row in rows:
            del row["dossier_naam"]
            row["dossier_id"] = dossier_ids.get(row.pop("dossier"))
        kwalificatie_result = upsert(model=Kwalificatie, key=("crebo",), rows=rows)
        kwalificatie_result.skipped = len(errors)
        return {"Kwalificatiedossier": dossier_result, "Kwalificatie": kwalificatie_result}
