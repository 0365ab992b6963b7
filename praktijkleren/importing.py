"""Shared machinery for the reference-data importers (``import_geo``, ``import_kwalificaties``,
``import_kwalificatiedossiers``, ``import_mbo_instellingen``; ``load_reference`` runs them all).

Every importer reads files from a data directory (default ``settings.REFERENCE_DATA_DIR``),
validates every row and reports each bad row as ``<file name>:<line number>: <reason>`` (line
numbers as in the file, the CSV header is line 1). One bad row refuses the whole run (a
``CommandError`` listing every bad row; nothing is written) unless ``--skip-invalid`` is given:
then bad rows are reported and skipped and the rest is loaded. Everything is written in one
transaction, upserted by natural key; a row whose values equal the stored ones is not written,
so a second run reports ``0 created, 0 updated, N unchanged``. Rows that are no longer in a file
are left alone (other data may point at them). A file the importer needs that is missing is a
``CommandError`` naming it.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction

M = TypeVar("M", bound=models.Model)


def reference_data_present(data_dir: Path) -> bool:
    """Whether ``data_dir`` holds reference files: a directory with anything in it. An empty one
    counts as absent: ``docker compose`` makes the mount source ``../shared/data`` as an empty
    directory on a machine that has none."""
    return data_dir.is_dir() and any(data_dir.iterdir())


@dataclass(frozen=True)
class RowError:
    """One bad row: the file's name, its line number (1-based, header = 1) and why; ``column``
    names the column at fault where one is (empty otherwise)."""

    file: str
    line: int
    reason: str
    column: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class RowErrors:
    """Collects the ``RowError``s of one import run, over all of its files."""

    errors: list[RowError] = field(default_factory=list)

    def add(self, file: str, line: int, reason: str, column: str = "") -> None:
        """Record that line ``line`` of ``file`` (in ``column``, if given) is bad because of
        ``reason``."""
        self.errors.append(RowError(file=file, line=line, reason=reason, column=column))

    def __len__(self) -> int:
        return len(self.errors)

    def __iter__(self) -> Iterator[RowError]:
        return iter(self.errors)


@dataclass
class UpsertResult:
    """Row counts of one import step: created, updated, unchanged and skipped (not loaded)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0

    def __add__(self, other: UpsertResult) -> UpsertResult:
        return UpsertResult(
            self.created + other.created,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
            self.skipped + other.skipped,
        )

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped"
        )


def normalise_space(value: str) -> str:
    """Collapse runs of whitespace (incl. non-breaking spaces) to one space and strip the ends."""
    return " ".join(value.split())


def read_csv(
    path: Path, *, required: Sequence[str], errors: RowErrors
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line number, row)`` for each data row of a UTF-8 (BOM allowed) CSV file.

    ``line number`` is the file line the row starts on (header = 1). A header without all
    ``required`` columns is one error on line 1 and yields nothing; a row with the wrong number
    of fields is an error and is not yielded. Values are returned as in the file (not stripped).
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from read_csv_rows(handle, name=path.name, required=required, errors=errors)


def read_csv_rows(
    handle: Iterable[str],
    *,
    name: str,
    required: Sequence[str],
    errors: RowErrors,
    delimiter: str = ",",
    messages: dict[str, str] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """``read_csv`` on an open text ``handle`` (lines of a file called ``name``) with fields
    separated by ``delimiter``. ``messages`` may give the two errors in another language:
    ``"missing"`` (``%(columns)s``) and ``"fields"`` (``%(expected)d``, ``%(found)d``)."""
    texts = {
        "missing": "missing column(s): %(columns)s",
        "fields": "expected %(expected)d fields, found %(found)d",
        **(messages or {}),
    }
    reader = csv.reader(handle, delimiter=delimiter)
    header = next(reader, None)
    missing = [c for c in required if c not in (header or [])]
    if header is None or missing:
        errors.add(name, 1, texts["missing"] % {"columns": ", ".join(missing)})
        return
    line = reader.line_num + 1
    for values in reader:
        if not values:  # an empty line
            line = reader.line_num + 1
            continue
        if len(values) != len(header):
            errors.add(
                name, line, texts["fields"] % {"expected": len(header), "found": len(values)}
            )
        else:
            yield line, dict(zip(header, values, strict=True))
        line = reader.line_num + 1


def upsert(
    *,
    model: type[M],
    key: Sequence[str],
    rows: Iterable[dict[str, Any]],
    batch_size: int = 1000,
) -> UpsertResult:
    """Create or update ``model`` rows by natural ``key``, writing only what changed.

    ``rows`` are dicts of attribute names to values (foreign keys as ``<name>_id``), each with
    the same keys, including the ``key`` fields. A row whose fields all equal the stored ones is
    counted as unchanged and not written. Uses ``bulk_create``/``bulk_update`` in batches.
    Returns the counts (``skipped`` stays 0: the caller counts the rows it refused).
    Goes through the model's default manager, whatever its name.
    """
    rows = list(rows)
    result = UpsertResult()
    if not rows:
        return result
    fields = [f for f in rows[0] if f not in key]
    manager = model._default_manager
    existing = {tuple(getattr(obj, k) for k in key): obj for obj in manager.all()}
    to_create: list[M] = []
    to_update: list[M] = []
    for row in rows:
        obj = existing.get(tuple(row[k] for k in key))
        if obj is None:
            to_create.append(model(**row))
        elif any(getattr(obj, f) != row[f] for f in fields):
            for f in fields:
                setattr(obj, f, row[f])
            to_update.append(obj)
        else:
            result.unchanged += 1
    manager.bulk_create(to_create, batch_size=batch_size)
    if to_update and fields:
        manager.bulk_update(to_update, fields, batch_size=batch_size)
    result.created, result.updated = len(to_create), len(to_update)
    return result


def add_reference_arguments(parser: CommandParser) -> None:
    """The arguments every reference command takes: ``[data_dir]`` and ``--skip-invalid``."""
    parser.add_argument(
        "data_dir",
        nargs="?",
        type=Path,
        help="Directory with the reference files (default: settings.REFERENCE_DATA_DIR).",
    )
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="Report bad rows and skip them instead of refusing the whole import.",
    )


class ReferenceImportCommand(BaseCommand):
    """Base class of the importers: ``[data_dir]`` and ``--skip-invalid``, one transaction,
    the refusal rule for bad rows, and the report of counts and elapsed seconds.

    Subclasses implement ``import_data``.
    """

    def add_arguments(self, parser: CommandParser) -> None:
        add_reference_arguments(parser)

    def import_data(
        self, *, data_dir: Path, errors: RowErrors, options: dict[str, Any]
    ) -> dict[str, UpsertResult]:
        """Validate and upsert; add bad rows to ``errors``. Returns counts per label (model)."""
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir = Path(options["data_dir"] or settings.REFERENCE_DATA_DIR)
        if not data_dir.is_dir():
            raise CommandError(f"Data directory not found: {data_dir}")
        started = time.monotonic()
        errors = RowErrors()
        try:
            with transaction.atomic():
                results = self.import_data(data_dir=data_dir, errors=errors, options=options)
                if errors and not options["skip_invalid"]:
                    raise CommandError(
                        f"{len(errors)} invalid row(s); nothing was written "
                        "(use --skip-invalid to load the valid rows):\n"
                        + "\n".join(str(error) for error in errors)
                    )
        except FileNotFoundError as exc:
            raise CommandError(f"A reference file is missing: {exc.filename}") from exc
        for error in errors:
            self.stderr.write(f"{error} (skipped)")
        for label, result in results.items():
            self.stdout.write(f"{label}: {result}")
        total = sum(results.values(), UpsertResult())
        elapsed = time.monotonic() - started
        self.stdout.write(f"Total: {total} in {elapsed:.2f} s")
