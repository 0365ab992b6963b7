"""``manage.py seed_demo [--reset] [--region AM13] [--seed 1] [--today YYYY-MM-DD]``: the demo
region.

Without a demo region it builds a realistic one on the real reference data (load it first with
``load_reference``), in one transaction. When the region exists it keeps it as it is, with
everything users entered (``make run`` runs it every time), and only sets the demo accounts'
password. ``--reset`` deletes all demo data (every record flagged ``is_demo`` and what hangs on
demo organisations and users) and builds the region again. A build is the same for the same
region, seed, reference date and reference data; the reference date is today
(``timezone.localdate()``) unless ``--today`` pins it, and every generated date and moment is
relative to it. Demo accounts get the password in the environment variable ``DEMO_PASSWORD``.
Refused where ``settings.DEMO_USERS_ALLOWED`` is false (production).
"""

import datetime as dt
import os
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

DEFAULT_REGION = "AM13"  # Midden-Utrecht
DEFAULT_SEED = 1


class Command(BaseCommand):
    help = (
        "Vul een demoregio met fictieve werkgevers, leerbanen, kandidaten en voordrachten. "
        "Een bestaande demoregio blijft zoals hij is; --reset bouwt hem opnieuw op."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Verwijder alle demogegevens (ook wat gebruikers invoerden) en bouw opnieuw op.",
        )
        parser.add_argument(
            "--region", default=DEFAULT_REGION, help="Arbeidsmarktregio-code (standaard AM13)."
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Startgetal (1).")
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            help="Peildatum JJJJ-MM-DD waar alle datums van afhangen (standaard vandaag).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_USERS_ALLOWED:
            raise CommandError("Demo-gegevens zijn hier niet toegestaan (DEMO_USERS_ALLOWED).")
        password = os.environ.get("DEMO_PASSWORD", "")
        if not password:
            raise CommandError(
                "Zet het wachtwoord van de demo-accounts in de omgevingsvariabele DEMO_PASSWORD."
            )
        from praktijkleren.demo import run  # Faker: a dev dependency

        if not options["reset"] and run.demo_region_exists():
            self.keep(run.demo_password_set(password=password), password)
            return
        started = time.monotonic()
        try:
            result = run.demo_region_seed(
                region_code=options["region"].upper(),
                seed=options["seed"],
                today=options["today"] or timezone.localdate(),
                password=password,
            )
        except LookupError as exc:
            raise CommandError(f"{exc} Laad eerst de referentiegegevens: load_reference.") from exc
        self.report(result, password, time.monotonic() - started)

    def keep(self, accounts: dict, password: str) -> None:
        """Say that the existing demo region was kept, with the accounts and the password."""
        self.accounts_print(accounts, password)
        self.stdout.write(
            self.style.SUCCESS(
                "De demoregio bestond al en is niet veranderd: alles wat in de demo is ingevoerd "
                "blijft staan. Alleen het wachtwoord van de demo-accounts is (opnieuw) gezet."
            )
        )
        self.stdout.write(
            "Wilt u een verse demoregio? Gebruik dan seed_demo --reset: dat verwijdert alle "
            "demogegevens, ook wat gebruikers invoerden, en bouwt de demoregio opnieuw op "
            "(--region, --seed en --today gelden alleen bij die nieuwe opbouw)."
        )

    def accounts_print(self, accounts: dict, password: str) -> None:
        """Print the demo accounts (username, role, organisation) and their password."""
        header = ("gebruiker", "rol", "organisatie")
        rows = [(u.username, self.role(u), u.organisation.name) for u in accounts.values()]
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
        for row in [header, *rows]:
            self.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
        self.stdout.write(f"Wachtwoord van alle demo-accounts: {password}")

    @staticmethod
    def role(user) -> str:
        """The account's organisation kind, and "beheerder" when it administers it."""
        kind = str(user.organisation.get_kind_display())
        return f"{kind} (beheerder)" if user.is_organisation_admin else kind

    def report(self, result, password: str, seconds: float) -> None:
        """Print the demo accounts, the password and the counts."""
        self.accounts_print(result.accounts, password)
        removed = sum(result.deleted.values())
        self.stdout.write(f"Vorige demogegevens verwijderd: {removed} rijen.")
        for label, n in sorted(result.counts.items()):
            self.stdout.write(f"  {label}: {n}")
        self.stdout.write(self.style.SUCCESS(f"Demoregio klaar in {seconds:.2f} s."))
