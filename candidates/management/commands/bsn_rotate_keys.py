"""``manage.py bsn_rotate_keys [--batch-size N]``: every BSN under the newest keys (docs/bsn.md)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from candidates.services import bsn_keys_rotate


class Command(BaseCommand):
    """Re-encrypt every stored BSN with the newest key of ``BSN_ENCRYPTION_KEYS`` and compute
    its blind index again under ``BSN_INDEX_KEY`` (``candidates.services.bsn_keys_rotate``), in
    batches. Prints counts, never a BSN; fails (exit status 1) when a token opens with no
    configured key, naming the candidates' ids."""

    help = _("Versleutel elk BSN opnieuw met de nieuwste sleutel en herbereken de zoekindex.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help=_("zoveel kandidaten per transactie (standaard 500)"),
        )

    def handle(self, *args, batch_size: int, **options) -> None:
        if batch_size < 1:
            raise CommandError(_("--batch-size moet ten minste 1 zijn."))
        result = bsn_keys_rotate(batch_size=batch_size)
        self.stdout.write(
            _(
                "%(rows)s kandidaten met een BSN: %(reencrypted)s opnieuw versleuteld, "
                "%(reindexed)s opnieuw geïndexeerd."
            )
            % {
                "rows": result.rows,
                "reencrypted": result.reencrypted,
                "reindexed": result.reindexed,
            }
        )
        if result.unreadable:
            raise CommandError(
                _("Geen sleutel opent het BSN van kandidaat %(ids)s: zet de oude sleutel terug.")
                % {"ids": ", ".join(str(pk) for pk in result.unreadable)}
            )
