"""The least-privilege database roles (issue 9): the SQL lives in ``ops/db/`` (``roles.sql``
creates ``praktijkleren_owner`` and ``praktijkleren_app``; ``grants.sql`` gives the application
role its privileges, read and append only on the audit tables); this module runs it through
Django's connection, for ``manage.py db_grants`` and the tests."""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

OWNER_ROLE = "praktijkleren_owner"
APP_ROLE = "praktijkleren_app"
# The append-only tables (accounts migration 0004's trigger): the application role may only
# read and insert (grants.sql).
AUDIT_TABLES = ("accounts_accesslog", "auditlog_logentry")


def sql_dir() -> Path:
    """The folder of ``roles.sql`` and ``grants.sql``: ``ops/db`` in the project."""
    return Path(settings.BASE_DIR) / "ops" / "db"


def db_sql_run(*, connection: BaseDatabaseWrapper, name: str) -> None:
    """Run ``ops/db/<name>`` (plain SQL, several statements) on ``connection`` in one
    transaction (a savepoint inside an open one). PostgreSQL only: raises ``ValueError`` on
    another database, ``FileNotFoundError`` for an unknown file and the database's error (e.g.
    ``ProgrammingError`` for missing rights) when a statement fails."""
    if connection.vendor != "postgresql":
        raise ValueError(f"The database roles are PostgreSQL's, not {connection.vendor}'s.")
    sql = (sql_dir() / name).read_text(encoding="utf-8")
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(sql)


def db_roles_create(*, connection: BaseDatabaseWrapper) -> None:
    """Create (or bring up to date) both roles and hand them the schema: ``roles.sql``. Needs a
    superuser connection. Passwords are not set here (``ops/db/init-roles.sh`` does that)."""
    db_sql_run(connection=connection, name="roles.sql")


def db_grants_apply(*, connection: BaseDatabaseWrapper) -> None:
    """Give the application role its privileges on every table and sequence, for the tables
    of later migrations too, and take UPDATE, DELETE and TRUNCATE on the audit tables away
    again: ``grants.sql``. Run as the owner role (or a superuser) after every ``migrate``."""
    db_sql_run(connection=connection, name="grants.sql")
