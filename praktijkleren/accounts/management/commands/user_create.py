"""``manage.py user_create USERNAME --organisation NAME --email ADDRESS [--admin]``.

Creates a (non-demo) portal user in an existing organisation, for an IT department's first
accounts and for ops/smoke.sh. The password comes from the environment variable
``USER_CREATE_PASSWORD`` (never from the command line, which other users of the machine may
read) and must pass the password validators. Raises ``CommandError`` naming the problem when the
organisation is unknown or ambiguous, the user name is taken, or the password is refused.
"""

import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from praktijkleren.accounts.models import Organisation, User


class Command(BaseCommand):
    help = "Create a portal user in an organisation (password from USER_CREATE_PASSWORD)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--organisation", required=True, help="The organisation's name.")
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--admin", action="store_true", help="The organisation's administrator."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("USER_CREATE_PASSWORD", "")
        if not password:
            raise CommandError("Set the password in the environment variable USER_CREATE_PASSWORD.")
        organisations = list(Organisation.objects.filter(name=options["organisation"])[:2])
        if len(organisations) != 1:
            raise CommandError(
                f"{len(organisations) or 'No'} organisations are named "
                f"{options['organisation']!r}: name exactly one."
            )
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError(f"The user name {options['username']!r} is taken.")
        user = User(
            username=options["username"],
            email=options["email"],
            first_name=options["first_name"],
            last_name=options["last_name"],
            organisation=organisations[0],
            is_organisation_admin=options["admin"],
        )
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        user.set_password(password)
        with transaction.atomic():
            user.save()
        self.stdout.write(f"User {user.username} created in {organisations[0].name}.")
