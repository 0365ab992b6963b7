"""``manage.py import_geo [data_dir] [--skip-invalid]``: arbeidsmarktregio's, gemeenten and PC4s.

Files (formats and provenance in shared/data/SOURCES.md §1–2):

- ``arbeidsmarktregios_2025.csv`` → ``Arbeidsmarktregio`` (code ``AMnn``, naam);
- ``gemeenten_2025.csv`` → ``Gemeente`` (code ``GMnnnn``, provincie, arbeidsmarktregio);
- ``pc4.csv`` → ``Postcode``.

Rules for ``pc4.csv``:

- a PC4 with lat/lon keeps its point (``coordinate_source`` ``pc4``), with or without gemeente
  (postbus-only PC4s have no gemeente in PDOK 2026 but do have a 4pp 2014 point);
- a PC4 with a gemeente but no lat/lon gets its gemeente's centroid (``gemeente_centroid``);
- ``Gemeente.lat``/``lon`` = that centroid: the mean of the gemeente's own PC4 points;
- a PC4 with neither a point nor a gemeente cannot be placed: it is skipped (counted under
  "skipped"), not an error: the file is still consistent. (The 2025 data has none.)

The PC4 format is checked with a regex (``[1-9][0-9]{3}``): python-stdnum's ``nl.postcode``
only validates full postcodes (4 digits and 2 letters).
"""

import re
from collections import defaultdict
from pathlib import Path
from statistics import fmean
from typing import Any

from praktijkleren.geo.constants import (
    NL_LAT_MAX,
    NL_LAT_MIN,
    NL_LON_MAX,
    NL_LON_MIN,
    CoordinateSource,
)
from praktijkleren.geo.models import Arbeidsmarktregio, Gemeente, Postcode
from praktijkleren.importing import (
    ReferenceImportCommand,
    RowErrors,
    UpsertResult,
    normalise_space,
    read_csv,
    upsert,
)

REGIONS_FILE = "arbeidsmarktregios_2025.csv"
GEMEENTEN_FILE = "gemeenten_2025.csv"
PC4_FILE = "pc4.csv"

AM_CODE = re.compile(r"^AM[0-9]{2}$")
GM_CODE = re.compile(r"^GM[0-9]{4}$")
PV_CODE = re.compile(r"^PV[0-9]{2}$")
PC4 = re.compile(r"^[1-9][0-9]{3}$")


def _text(value: str, *, column: str, max_length: int, required: bool = True) -> str:
    """Normalised text of a cell; raises ``ValueError`` when empty (if required) or too long."""
    text = normalise_space(value)
    if required and not text:
        raise ValueError(f"{column} is empty")
    if len(text) > max_length:
        raise ValueError(f"{column} is longer than {max_length} characters")
    return text


def _regions(path: Path, errors: RowErrors) -> list[dict[str, Any]]:
    rows, seen = [], {}
    for line, row in read_csv(
        path, required=("arbeidsmarktregio_code", "arbeidsmarktregio_naam"), errors=errors
    ):
        code = row["arbeidsmarktregio_code"].strip()
        try:
            if not AM_CODE.match(code):
                raise ValueError(f"arbeidsmarktregio_code {code!r} is not like AM01")
            if code in seen:
                raise ValueError(f"duplicate arbeidsmarktregio_code {code} (line {seen[code]})")
            naam = _text(
                row["arbeidsmarktregio_naam"], column="arbeidsmarktregio_naam", max_length=100
            )
        except ValueError as exc:
            errors.add(path.name, line, str(exc))
            continue
        seen[code] = line
        rows.append({"code": code, "naam": naam})
    return rows


def _gemeenten(path: Path, errors: RowErrors, region_ids: dict[str, int]) -> list[dict[str, Any]]:
    required = (
        "gemeentecode",
        "gemeentecode_gm",
        "gemeentenaam",
        "provinciecode",
        "provincienaam",
        "arbeidsmarktregio_code",
    )
    rows, seen = [], {}
    for line, row in read_csv(path, required=required, errors=errors):
        code = row["gemeentecode_gm"].strip()
        region = row["arbeidsmarktregio_code"].strip()
        provincie = row["provinciecode"].strip()
        try:
            if not GM_CODE.match(code):
                raise ValueError(f"gemeentecode_gm {code!r} is not like GM0344")
            if row["gemeentecode"].strip() != code[2:]:
                raise ValueError(f"gemeentecode {row['gemeentecode']!r} does not match {code}")
            if code in seen:
                raise ValueError(f"duplicate gemeentecode {code} (line {seen[code]})")
            if not PV_CODE.match(provincie):
                raise ValueError(f"provinciecode {provincie!r} is not like PV26")
            if region not in region_ids:
                raise ValueError(f"unknown arbeidsmarktregio_code {region!r}")
            gemeente = {
                "code": code,
                "naam": _text(row["gemeentenaam"], column="gemeentenaam", max_length=100),
                "provincie_code": provincie,
                "provincie_naam": _text(
                    row["provincienaam"], column="provincienaam", max_length=50
                ),
                "arbeidsmarktregio_id": region_ids[region],
            }
        except ValueError as exc:
            errors.add(path.name, line, str(exc))
            continue
        seen[code] = line
        rows.append(gemeente)
    return rows


def _coordinate(value: str, *, column: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{column} {value!r} is not a number") from None
    if not low <= number <= high:
        raise ValueError(f"{column} {number} is outside the Netherlands ({low}–{high})")
    return number


def _postcodes(
    path: Path, errors: RowErrors, gemeente_regions: dict[str, str]
) -> tuple[list[dict[str, Any]], int]:
    """Valid PC4 rows (``gemeente`` as a GM code, lat/lon possibly ``None``) and the count of
    PC4s skipped for having neither a point nor a gemeente."""
    required = ("pc4", "lat", "lon", "woonplaats_4pp2014", "gemeentecode", "arbeidsmarktregio_code")
    rows, seen, unplaceable = [], {}, 0
    for line, row in read_csv(path, required=required, errors=errors):
        pc4 = row["pc4"].strip()
        gemeente = row["gemeentecode"].strip()
        lat, lon = row["lat"].strip(), row["lon"].strip()
        try:
            if not PC4.match(pc4):
                raise ValueError(f"pc4 {pc4!r} is not four digits (1000–9999)")
            if pc4 in seen:
                raise ValueError(f"duplicate pc4 {pc4} (line {seen[pc4]})")
            if bool(lat) != bool(lon):
                raise ValueError("lat and lon must both be given or both be empty")
            point = (
                (
                    _coordinate(lat, column="lat", low=NL_LAT_MIN, high=NL_LAT_MAX),
                    _coordinate(lon, column="lon", low=NL_LON_MIN, high=NL_LON_MAX),
                )
                if lat
                else (None, None)
            )
            if gemeente and gemeente not in gemeente_regions:
                raise ValueError(f"unknown gemeentecode {gemeente!r}")
            region = row["arbeidsmarktregio_code"].strip()
            if gemeente and region and region != gemeente_regions[gemeente]:
                raise ValueError(
                    f"arbeidsmarktregio_code {region} differs from {gemeente}'s "
                    f"({gemeente_regions[gemeente]})"
                )
            woonplaats = _text(
                row["woonplaats_4pp2014"], column="woonplaats", max_length=100, required=False
            )
        except ValueError as exc:
            errors.add(path.name, line, str(exc))
            continue
        seen[pc4] = line
        if not gemeente and point[0] is None:
            unplaceable += 1
            continue
        rows.append({"pc4": pc4, "woonplaats": woonplaats, "gemeente": gemeente, "point": point})
    return rows, unplaceable


class Command(ReferenceImportCommand):
    help = "Load arbeidsmarktregio's, gemeenten and PC4 postcodes (CBS/PDOK) from the data dir."

    def import_data(
        self, *, data_dir: Path, errors: RowErrors, options: dict[str, Any]
    ) -> dict[str, UpsertResult]:
        before = len(errors)
        regions = _regions(data_dir / REGIONS_FILE, errors)
        region_result = upsert(model=Arbeidsmarktregio, key=("code",), rows=regions)
        region_result.skipped = len(errors) - before
        region_ids = dict(Arbeidsmarktregio.objects.values_list("code", "id"))
        region_codes = {pk: code for code, pk in region_ids.items()}

        before = len(errors)
        gemeenten = _gemeenten(data_dir / GEMEENTEN_FILE, errors, region_ids)
        gemeente_skipped = len(errors) - before
        # A PC4 may point at a gemeente in this file or one already loaded.
        gemeente_regions = {
            code: region_codes[region_id]
            for code, region_id in Gemeente.objects.values_list("code", "arbeidsmarktregio_id")
        }
        gemeente_regions.update(
            {g["code"]: region_codes[g["arbeidsmarktregio_id"]] for g in gemeenten}
        )

        before = len(errors)
        postcodes, unplaceable = _postcodes(data_dir / PC4_FILE, errors, gemeente_regions)
        postcode_skipped = len(errors) - before + unplaceable

        points = defaultdict(list)
        for pc in postcodes:
            if pc["gemeente"] and pc["point"][0] is not None:
                points[pc["gemeente"]].append(pc["point"])
        centroids = {
            code: (fmean(p[0] for p in pts), fmean(p[1] for p in pts))
            for code, pts in points.items()
        }
        for gemeente in gemeenten:
            gemeente["lat"], gemeente["lon"] = centroids.get(gemeente["code"], (None, None))
        gemeente_result = upsert(model=Gemeente, key=("code",), rows=gemeenten)
        gemeente_result.skipped = gemeente_skipped

        gemeente_ids = dict(Gemeente.objects.values_list("code", "id"))
        postcode_rows = []
        for pc in postcodes:
            (lat, lon), source = pc["point"], CoordinateSource.PC4
            if lat is None:
                if pc["gemeente"] not in centroids:
                    postcode_skipped += 1  # its gemeente has no PC4 with a point either
                    continue
                (lat, lon), source = centroids[pc["gemeente"]], CoordinateSource.GEMEENTE_CENTROID
            postcode_rows.append(
                {
                    "pc4": pc["pc4"],
                    "woonplaats": pc["woonplaats"],
                    "gemeente_id": gemeente_ids.get(pc["gemeente"]),
                    "lat": lat,
                    "lon": lon,
                    "coordinate_source": source.value,
                }
            )
        postcode_result = upsert(model=Postcode, key=("pc4",), rows=postcode_rows)
        postcode_result.skipped = postcode_skipped
        return {
            "Arbeidsmarktregio": region_result,
            "Gemeente": gemeente_result,
            "Postcode": postcode_result,
        }
