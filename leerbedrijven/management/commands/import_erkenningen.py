"""``manage.py import_erkenningen <file> [--skip-invalid] [--max-ending-share 0.25] [--dry-run]``:
SBB's erkenningen of the leerbedrijven the file names (``leerbedrijven.importers``; the
columns and rules in ``docs/import-erkenningen.md``).

Bad rows are reported as ``<file>:<line>: <reason>`` and refuse the file (nothing written)
unless ``--skip-invalid``; a file that would end more than the allowed share of the current
erkenningen is refused; a second run of the same file reports ``0 created, 0 updated``.
"""

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from leerbedrijven.importers import ErkenningenRefused, erkenningen_import


def _share(value: str) -> float:
    share = float(value)
    if not 0 <= share <= 1:
        raise ValueError(value)
    return share


class Command(BaseCommand):
    help = "Import SBB's erkenningen (per kwalificatie and leerweg) from a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The CSV file (docs/import-erkenningen.md).")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Report bad rows and skip them instead of refusing the whole import.",
        )
        parser.add_argument(
            "--max-ending-share",
            type=_share,
            default=None,
            help=(
                "Refuse the run when it would end more than this share (0-1) of the "
                "erkenningen current today (default: settings.ERKENNINGEN_MAX_ENDING_SHARE, "
                f"now {settings.ERKENNINGEN_MAX_ENDING_SHARE})."
            ),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"File not found: {path}")
        started = time.monotonic()
        try:
            result, plan = erkenningen_import(
                path=path,
                skip_invalid=options["skip_invalid"],
                max_ending_share=options["max_ending_share"],
                dry_run=options["dry_run"],
            )
        except ErkenningenRefused as refused:
            hint = (
                "(use --max-ending-share to allow more)"
                if refused.threshold
                else "(use --skip-invalid to load the valid rows)"
            )
            raise CommandError(f"{refused}\n{hint}") from None
        for error in result.errors:
            self.stderr.write(f"{error} (skipped)")
        if options["dry_run"]:
            for change in plan.changes:
                self.stdout.write(
                    f"{change.kind}: {change.leerbedrijf} – {change.kwalificatie} "
                    f"{change.leerweg}: {change.detail}"
                )
        prefix = "Dry run, nothing written. " if options["dry_run"] else ""
        elapsed = time.monotonic() - started
        self.stdout.write(f"{prefix}Erkenning: {result} in {elapsed:.2f} s")
