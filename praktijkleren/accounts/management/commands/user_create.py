"""``manage.py user_create USERNAME --organisation NAME --email ADDRESS [--admin | --beheer]``.

Creates a (non-demo) portal user in an existing organisation, for an IT department's first
accounts and for ops/smoke.sh. With ``--beheer`` the user is beheer (staff and superuser: the
admin at /beheer/, where the other organisations and users are made) in the beheer organisation
of that name, which is created when no organisation has that name: the first account of a new
installation, whose database has no organisations yet.

The password comes from the environment variable ``USER_CREATE_PASSWORD`` (never from the
command line, which other users of the machine may read) and must pass the password validators.
Raises ``CommandError`` naming the problem when the organisation is unknown, ambiguous or (with
``--beheer``) not a beheer one, the user name is taken, or the password is refused.
"""

import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from praktijkleren.accounts.constants import OrganisationKind
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
        parser.add_argument(
            "--beheer",
            action="store_true",
            help="A beheer account (staff, superuser) in the beheer organisation of that name, "
            "created when missing: the first account of a new installation.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("USER_CREATE_PASSWORD", "")
        if not password:
            raise CommandError("Set the password in the environment variable USER_CREATE_PASSWORD.")
        organisation = self._organisation(options["organisation"], beheer=options["beheer"])
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError(f"The user name {options['username']!r} is taken.")
        user = User(
            username=options["username"],
            email=options["email"],
            first_name=options["first_name"],
            last_name=options["last_name"],
            organisation=organisation,
            is_organisation_admin=options["admin"],
            is_staff=options["beheer"],
            is_superuser=options["beheer"],
        )
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        user.set_password(password)
        with transaction.atomic():
            if organisation.pk is None:
                organisation.save()
                self.stdout.write(f"Beheer organisation {organisation.name} created.")
            user.save()
        self.stdout.write(f"User {user.username} created in {organisation.name}.")

    def _organisation(self, name: str, *, beheer: bool) -> Organisation:
        """The one organisation called ``name``; with ``beheer``, a new (unsaved) beheer
        organisation when none is. Raises ``CommandError`` when none or several are, or when
        ``beheer`` names an organisation of another kind."""
        organisations = list(Organisation.objects.filter(name=name)[:2])
        if beheer and not organisations:
            return Organisation(name=name, kind=OrganisationKind.BEHEER)
        if len(organisations) != 1:
            raise CommandError(
                f"{len(organisations) or 'No'} organisations are named {name!r}: name exactly one."
            )
        if beheer and organisations[0].kind != OrganisationKind.BEHEER:
            raise CommandError(
                f"{name!r} is a {organisations[0].kind} organisation: --beheer needs a beheer one."
            )
        return organisations[0]
