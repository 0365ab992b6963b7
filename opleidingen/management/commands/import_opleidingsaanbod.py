"""``manage.py import_opleidingsaanbod <file> [--skip-invalid]``: a school's opleidingsaanbod.

Reads a UTF-8 CSV (columns ``brin, crebo, leerweg, locaties, startmomenten``; see
``docs/import-opleidingsaanbod.md``) with the same row rules as the reference importers
(``praktijkleren/importing.py``): every bad row is reported as ``<file>:<line>: <reason>``; one
bad row refuses the whole file (nothing written) unless ``--skip-invalid``; one transaction;
a second run of the same file changes nothing (``0 created, 0 updated``).

Per row: the BRIN is a loaded mbo-instelling; the crebo a current kwalificatie that can be
followed in the row's leerweg (``BBL`` or ``BOL``); ``locaties`` one or more BRIN-vestigingscodes
(``;``-separated) of that instelling's loaded locations; ``startmomenten`` zero or more
``YYYY-MM-DD:capacity`` (``;``-separated, capacity 1–999, each date once). An instelling,
kwalificatie and leerweg appear on one row only.

The file states the aanbod's locations completely (locations not listed are unlinked); its
start moments are created or updated by date, others are left alone. Imported aanbod is real:
``is_demo`` is false, also on demo aanbod it updates.
"""

import datetime as dt
import re
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from opleidingen.constants import Leerweg
from opleidingen.models import (
    Kwalificatie,
    MboInstelling,
    MboLocatie,
    Opleidingsaanbod,
    StartMoment,
)
from praktijkleren.importing import RowErrors, UpsertResult, read_csv, upsert

COLUMNS = ("brin", "crebo", "leerweg", "locaties", "startmomenten")
MAX_CAPACITY = 999
_START = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2}):([0-9]+)$")


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def parse_startmomenten(value: str) -> dict[dt.date, int]:
    """``"2025-09-01:12;2026-02-01:8"`` as ``{date: capacity}``; raises ``ValueError`` naming
    the bad part (format, date, capacity outside 1–999, a date twice)."""
    moments: dict[dt.date, int] = {}
    for part in _split(value):
        match = _START.match(part)
        if match is None:
            raise ValueError(f"start moment {part!r} is not YYYY-MM-DD:capacity")
        try:
            date = dt.date.fromisoformat(match[1])
        except ValueError:
            raise ValueError(f"start moment {part!r} has no valid date") from None
        capacity = int(match[2])
        if not 1 <= capacity <= MAX_CAPACITY:
            raise ValueError(f"start moment {part!r}: capacity must be 1–{MAX_CAPACITY}")
        if date in moments:
            raise ValueError(f"start date {date} appears twice")
        moments[date] = capacity
    return moments


class Command(BaseCommand):
    help = "Load opleidingsaanbod (locations and start moments) from a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file.")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Report bad rows and skip them instead of refusing the whole import.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"File not found: {path}")
        started = time.monotonic()
        errors = RowErrors()
        with transaction.atomic():
            results = self.import_file(path=path, errors=errors)
            if errors and not options["skip_invalid"]:
                raise CommandError(
                    f"{len(errors)} invalid row(s); nothing was written "
                    "(use --skip-invalid to load the valid rows):\n"
                    + "\n".join(str(error) for error in errors)
                )
        for error in errors:
            self.stderr.write(f"{error} (skipped)")
        for label, result in results.items():
            self.stdout.write(f"{label}: {result}")
        total = sum(results.values(), UpsertResult())
        self.stdout.write(f"Total: {total} in {time.monotonic() - started:.2f} s")

    def import_file(self, *, path: Path, errors: RowErrors) -> dict[str, UpsertResult]:
        """Validate every row, then upsert the aanbod, its locations and start moments."""
        instelling_ids = dict(MboInstelling.objects.values_list("brin", "pk"))
        kwalificaties = {k.crebo: k for k in Kwalificatie.objects.filter(is_current=True)}
        locaties = dict(MboLocatie.objects.values_list("brinvest", "instelling_id"))
        locatie_ids = dict(MboLocatie.objects.values_list("brinvest", "pk"))
        valid: list[tuple[tuple[int, int, str], set[int], dict[dt.date, int]]] = []
        seen: dict[tuple[int, int, str], int] = {}
        for line, raw in read_csv(path, required=COLUMNS, errors=errors):
            try:
                brin, crebo = raw["brin"].strip().upper(), raw["crebo"].strip()
                leerweg = raw["leerweg"].strip().upper()
                if brin not in instelling_ids:
                    raise ValueError(f"BRIN {brin!r} is not a loaded mbo-instelling")
                kwalificatie = kwalificaties.get(crebo)
                if kwalificatie is None:
                    raise ValueError(f"crebo {crebo!r} is not a current kwalificatie")
                if leerweg not in Leerweg.values:
                    raise ValueError(f"leerweg {leerweg!r} is not BBL or BOL")
                if leerweg not in kwalificatie.leerwegen():
                    raise ValueError(f"kwalificatie {crebo} cannot be followed in {leerweg}")
                codes = [c.upper() for c in _split(raw["locaties"])]
                if not codes:
                    raise ValueError("no locaties given")
                wrong = [c for c in codes if locaties.get(c) != instelling_ids[brin]]
                if wrong:
                    raise ValueError(f"locaties {', '.join(wrong)} are not locations of {brin}")
                moments = parse_startmomenten(raw["startmomenten"])
                key = (instelling_ids[brin], kwalificatie.pk, leerweg)
                if key in seen:
                    raise ValueError(f"duplicate {brin} {crebo} {leerweg} (line {seen[key]})")
            except ValueError as exc:
                errors.add(path.name, line, str(exc))
                continue
            seen[key] = line
            valid.append((key, {locatie_ids[c] for c in codes}, moments))

        aanbod_result = upsert(
            model=Opleidingsaanbod,
            key=("instelling_id", "kwalificatie_id", "leerweg"),
            rows=[
                {"instelling_id": i, "kwalificatie_id": k, "leerweg": lw, "is_demo": False}
                for (i, k, lw), _locs, _moments in valid
            ],
        )
        aanbod_result.skipped = len(errors)
        aanbod_ids = {
            (a.instelling_id, a.kwalificatie_id, a.leerweg): a.pk
            for a in Opleidingsaanbod.objects.filter(
                instelling_id__in={key[0] for key, _l, _m in valid}
            )
        }
        links = self._link_locaties({aanbod_ids[key]: locs for key, locs, _moments in valid})
        starts = upsert(
            model=StartMoment,
            key=("aanbod_id", "start_date"),
            rows=[
                {"aanbod_id": aanbod_ids[key], "start_date": date, "capacity": capacity}
                for key, _locs, moments in valid
                for date, capacity in sorted(moments.items())
            ],
        )
        return {"Opleidingsaanbod": aanbod_result, "Locaties": links, "StartMoment": starts}

    @staticmethod
    def _link_locaties(wanted: dict[int, set[int]]) -> UpsertResult:
        """Make each aanbod's locations exactly ``wanted[aanbod id]``; counts per aanbod:
        created (had none), updated (changed) or unchanged."""
        through = Opleidingsaanbod.locaties.through
        current: dict[int, set[int]] = {pk: set() for pk in wanted}
        for aanbod_id, locatie_id in through.objects.filter(
            opleidingsaanbod_id__in=list(wanted)
        ).values_list("opleidingsaanbod_id", "mbolocatie_id"):
            current[aanbod_id].add(locatie_id)
        result = UpsertResult()
        new_links = []
        for aanbod_id, locs in wanted.items():
            have = current[aanbod_id]
            if have == locs:
                result.unchanged += 1
                continue
            if have:
                result.updated += 1
            else:
                result.created += 1
            through.objects.filter(
                opleidingsaanbod_id=aanbod_id, mbolocatie_id__in=have - locs
            ).delete()
            new_links += [
                through(opleidingsaanbod_id=aanbod_id, mbolocatie_id=loc) for loc in locs - have
            ]
        through.objects.bulk_create(new_links)
        return result
