"""``manage.py export_erkenningen <file> [--demo]``: the stored erkenningen in the format that
``import_erkenningen`` reads (``docs/import-erkenningen.md``); ``--demo``: only those of the
demo leerbedrijven, to try the import with."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from leerbedrijven.importers import erkenningen_csv
from leerbedrijven.models import Erkenning


class Command(BaseCommand):
    help = "Write the erkenningen as a CSV file in the import format."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The CSV file to write.")
        parser.add_argument(
            "--demo", action="store_true", help="Only the demo leerbedrijven's erkenningen."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        queryset = Erkenning.objects.all()
        if options["demo"]:
            queryset = queryset.filter(leerbedrijf__is_demo=True)
        text = erkenningen_csv(queryset=queryset)
        options["path"].write_text(text, encoding="utf-8")
        self.stdout.write(f"{text.count(chr(10)) - 1} erkenningen written to {options['path']}")
