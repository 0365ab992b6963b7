"""``manage.py match <candidate-id> [--limit N] [--date YYYY-MM-DD]``: a candidate's leerbanen."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from candidates.models import Candidate
from candidates.selectors import leerbanen_matching


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            _("Geen geldige datum (JJJJ-MM-DD): %(value)s") % {"value": value}
        ) from exc


class Command(BaseCommand):
    """Print the ranked leerbanen for one candidate: the list the candidate's page shows
    (``candidates.selectors.leerbanen_matching``). Per leerbaan: rank, score (0–100), title,
    leerbedrijf, plaats, kwalificatie, then each reason indented."""

    help = _("Toon de passende leerbanen voor een kandidaat, met de redenen.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("candidate_id", type=int, help=_("id van de kandidaat"))
        parser.add_argument(
            "--limit", type=int, default=50, help=_("hoogstens zoveel leerbanen (standaard 50)")
        )
        parser.add_argument(
            "--date",
            type=str,
            default=None,
            help=_("peildatum JJJJ-MM-DD (standaard vandaag)"),
        )

    def handle(self, *args, candidate_id: int, limit: int, date: str | None, **options) -> None:
        if limit < 1:
            raise CommandError(_("--limit moet minstens 1 zijn."))
        on_date = _date(date) if date else None
        candidate = (
            Candidate.objects.select_related("postcode")
            .prefetch_related("wished_kwalificaties", "wished_dossiers")
            .filter(pk=candidate_id)
            .first()
        )
        if candidate is None:
            raise CommandError(_("Kandidaat %(id)s bestaat niet.") % {"id": candidate_id})
        matches = leerbanen_matching(candidate=candidate, limit=limit, on_date=on_date)
        if not matches:
            self.stdout.write(_("Geen passende leerbanen."))
            return
        for rank, match in enumerate(matches, start=1):
            leerbaan = match.leerbaan
            postcode = leerbaan.vestiging.postcode
            self.stdout.write(
                f"{rank:>3}. {match.score:5.1f}  {leerbaan.titel} | {leerbaan.leerbedrijf.naam}"
                f" | {postcode.woonplaats or postcode.pc4} | {leerbaan.kwalificatie}"
            )
            for reason in match.reasons:
                self.stdout.write(f"       {reason}")
