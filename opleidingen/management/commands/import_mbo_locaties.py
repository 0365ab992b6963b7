"""``manage.py import_mbo_locaties [data_dir] [--skip-invalid]``: the mbo-instellingen' locations.

Reads ``mbo_vestigingen_adressen_kiesmbo_2025-02.csv`` (KiesMBO, February 2025; shared/data/
SOURCES.md §7; columns ``brinvest, brin, locatie_naam, straat_huisnummer, postcode, plaats, lat,
lon, is_hoofdlocatie_kiesmbo``). Checks per row: ``brinvest`` is the row's BRIN plus two digits,
the postcode is ``1234 AB`` (KiesMBO has a few with only ``1234``), the point lies in the
Netherlands (lat 50.7–53.6, lon 3.3–7.3) and ``is_hoofdlocatie_kiesmbo`` is ``ja`` or ``nee``.
Locations of a BRIN that is not a loaded mbo-instelling (KiesMBO also lists non-funded
providers) are counted as skipped, not refused.
Run it after ``import_mbo_instellingen``.
"""

import re
from pathlib import Path
from typing import Any

from opleidingen.models import MboInstelling, MboLocatie
from praktijkleren.importing import (
    ReferenceImportCommand,
    RowErrors,
    UpsertResult,
    normalise_space,
    read_csv,
    upsert,
)

LOCATIES_FILE = "mbo_vestigingen_adressen_kiesmbo_2025-02.csv"
COLUMNS = (
    "brinvest",
    "brin",
    "locatie_naam",
    "straat_huisnummer",
    "postcode",
    "plaats",
    "lat",
    "lon",
    "is_hoofdlocatie_kiesmbo",
)
_POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})?$")
_NL_LAT, _NL_LON = (50.7, 53.6), (3.3, 7.3)


def _point(row: dict[str, str]) -> tuple[float, float]:
    try:
        lat, lon = float(row["lat"]), float(row["lon"])
    except ValueError:
        raise ValueError(f"lat/lon {row['lat']!r}, {row['lon']!r} are not numbers") from None
    if not (_NL_LAT[0] <= lat <= _NL_LAT[1] and _NL_LON[0] <= lon <= _NL_LON[1]):
        raise ValueError(f"point {lat}, {lon} lies outside the Netherlands")
    return lat, lon


def _row(row: dict[str, str], instelling_ids: dict[str, int]) -> dict[str, Any] | None:
    """The ``MboLocatie`` fields of a valid row, None for a BRIN that is not loaded; raises
    ``ValueError`` naming the problem."""
    brin, brinvest = row["brin"].strip().upper(), row["brinvest"].strip().upper()
    if not re.fullmatch(r"[0-9]{2}[A-Z0-9]{2}[0-9]{2}", brinvest) or not brinvest.startswith(brin):
        raise ValueError(f"brinvest {brinvest!r} is not BRIN {brin!r} plus two digits")
    postcode = _POSTCODE.match(row["postcode"].strip().upper())
    if postcode is None:
        raise ValueError(f"postcode {row['postcode']!r} is not like 1234 AB (or 1234)")
    if row["is_hoofdlocatie_kiesmbo"] not in ("ja", "nee"):
        raise ValueError("is_hoofdlocatie_kiesmbo must be 'ja' or 'nee'")
    naam, plaats = normalise_space(row["locatie_naam"]), normalise_space(row["plaats"])
    if not naam or not plaats or len(naam) > 200 or len(plaats) > 100:
        raise ValueError("locatie_naam or plaats is empty or too long")
    lat, lon = _point(row)
    if brin not in instelling_ids:
        return None
    return {
        "brinvest": brinvest,
        "instelling_id": instelling_ids[brin],
        "naam": naam,
        "straat": normalise_space(row["straat_huisnummer"])[:200],
        "postcode": " ".join(part for part in postcode.groups() if part),
        "plaats": plaats.title() if plaats.isupper() else plaats,
        "lat": lat,
        "lon": lon,
        "is_hoofdlocatie": row["is_hoofdlocatie_kiesmbo"] == "ja",
    }


class Command(ReferenceImportCommand):
    help = "Load the locations of the mbo-instellingen (KiesMBO 2025) from the data dir."

    def import_data(
        self, *, data_dir: Path, errors: RowErrors, options: dict[str, Any]
    ) -> dict[str, UpsertResult]:
        path = data_dir / LOCATIES_FILE
        instelling_ids = dict(MboInstelling.objects.values_list("brin", "pk"))
        rows, seen, not_loaded = [], {}, 0
        for line, raw in read_csv(path, required=COLUMNS, errors=errors):
            try:
                row = _row(raw, instelling_ids)
                if row and row["brinvest"] in seen:
                    raise ValueError(
                        f"duplicate brinvest {row['brinvest']} (line {seen[row['brinvest']]})"
                    )
            except ValueError as exc:
                errors.add(path.name, line, str(exc))
                continue
            if row is None:
                not_loaded += 1
                continue
            seen[row["brinvest"]] = line
            rows.append(row)
        result = upsert(model=MboLocatie, key=("brinvest",), rows=rows)
        result.skipped = len(errors) + not_loaded
        if not_loaded:
            self.stdout.write(f"{not_loaded} locations of BRINs that are not loaded instellingen")
        return {"MboLocatie": result}
