"""``manage.py db_grants [--roles]``: the application role's privileges, after every migrate."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from praktijkleren.accounts.db_roles import APP_ROLE, db_grants_apply, db_roles_create


class Command(BaseCommand):
    help = (
        "Grant the application role (praktijkleren_app) its privileges on every table, read and "
        "append only on the audit tables (ops/db/grants.sql). Run after `migrate`, as the owner "
        "role; with --roles first create both roles as a superuser (ops/db/roles.sql)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--roles",
            action="store_true",
            help="First create or update the roles and the schema's owner (needs a superuser).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, roles: bool = False, database: str = DEFAULT_DB_ALIAS, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("The database roles are PostgreSQL's; this database is not.")
        if roles:
            db_roles_create(connection=connection)
        db_grants_apply(connection=connection)
        self.stdout.write(f"Privileges of {APP_ROLE} applied.")
