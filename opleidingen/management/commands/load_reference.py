"""``manage.py load_reference [data_dir] [--skip-invalid] [--no-demo-certificaten]``: every
reference importer, in order.

Runs ``import_geo``, ``import_kwalificaties``, ``import_kwalificatiedossiers``,
``import_werkprocessen_beroepen_app``, ``import_mbo_instellingen`` and ``import_mbo_locaties``
on ``data_dir`` (default ``settings.REFERENCE_DATA_DIR``), then ``import_certificaten`` on it
when it holds a certificaten file, then ``import_certificaten`` on the demo certificaten shipped
in ``opleidingen/demo_data/`` (``is_demo``; no official list of current certificaten is at hand,
shared/data/SOURCES.md §6), unless ``--no-demo-certificaten``. When that default directory
does not exist or is empty (``reference_data_present``) it falls back to the small real subset
shipped in ``praktijkleren/demo_reference/`` (see its SOURCES.md) and says so. Each importer
runs in its own transaction; the first one that refuses its files stops the run with its
``CommandError``. A directory named on the command line must exist (``CommandError`` otherwise)
and is read as it is, even when empty.
"""

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from opleidingen.management.commands.import_certificaten import CSV_NAME, REGULATION_NAME
from praktijkleren.importing import add_reference_arguments, reference_data_present

DEMO_REFERENCE_DIR = Path(settings.BASE_DIR) / "praktijkleren" / "demo_reference"
DEMO_CERTIFICATEN_DIR = Path(settings.BASE_DIR) / "opleidingen" / "demo_data"
IMPORTERS = (
    "import_geo",
    "import_kwalificaties",
    "import_kwalificatiedossiers",
    "import_werkprocessen_beroepen_app",
    "import_mbo_instellingen",
    "import_mbo_locaties",
)


class Command(BaseCommand):
    help = (
        "Load all reference data (geo, kwalificaties, werkprocessen, mbo-instellingen, "
        "mbo-certificaten)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_reference_arguments(parser)
        parser.add_argument(
            "--no-demo-certificaten",
            action="store_true",
            help=f"Do not load the demo mbo-certificaten of {DEMO_CERTIFICATEN_DIR}.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        data_dir = Path(options["data_dir"] or settings.REFERENCE_DATA_DIR)
        if options["data_dir"] and not data_dir.is_dir():
            raise CommandError(f"{data_dir} is not a directory.")
        if not options["data_dir"] and not reference_data_present(data_dir):
            self.stdout.write(
                self.style.WARNING(
                    f"{data_dir} does not exist or is empty: using the demo reference data in "
                    f"{DEMO_REFERENCE_DIR} (a small real subset; see its SOURCES.md)."
                )
            )
            data_dir = DEMO_REFERENCE_DIR
        steps = [(name, data_dir) for name in IMPORTERS]
        if (data_dir / CSV_NAME).is_file() or (data_dir / REGULATION_NAME).is_file():
            steps.append(("import_certificaten", data_dir))
        if not options["no_demo_certificaten"]:
            steps.append(("import_certificaten", DEMO_CERTIFICATEN_DIR))
        for name, directory in steps:
            self.stdout.write(f"== {name} {directory}")
            call_command(
                name,
                str(directory),
                skip_invalid=options["skip_invalid"],
                skip_checks=True,
                stdout=self.stdout,
                stderr=self.stderr,
            )
        self.stdout.write(f"Reference data loaded in {time.monotonic() - started:.2f} s")
