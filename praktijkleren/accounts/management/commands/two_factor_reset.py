"""``manage.py two_factor_reset USERNAME``: the second log-in step of one user set back, for
when no beheer user can log in to the admin (the last one lost its phone and its recovery
codes). Audited like the admin action, with no actor and ``"via": "manage.py"``."""

from django.core.management.base import BaseCommand, CommandError

from praktijkleren.accounts import services
from praktijkleren.accounts.models import User


class Command(BaseCommand):
    help = "Remove a user's authenticator app and recovery codes (audited): set up again at log-in."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        removed = services.two_factor_reset(user=user, by=None, via="manage.py")
        self.stdout.write(f"Removed {removed} device(s); {username} sets up a new app at log-in.")
