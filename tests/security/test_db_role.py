"""The least-privilege database role (issue 9): ``ops/db/roles.sql`` and ``manage.py db_grants``
(``ops/db/grants.sql``) make ``praktijkleren_app``, which may write the portal's tables but only
read and append to the audit tables; ``praktijkleren_owner`` owns the schema and runs the
migrations.

Everything runs inside the test's transaction (roles, grants and ownership changes are
transactional in PostgreSQL), so the rollback at the end leaves neither role nor grant behind.
The test role is a superuser, so ``SET LOCAL ROLE`` acts as either role.
"""

import contextlib

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError, ProgrammingError

from praktijkleren.accounts.db_roles import APP_ROLE, AUDIT_TABLES, OWNER_ROLE
from praktijkleren.accounts.models import AccessLog, Organisation
from tests.accounts.factories import UserFactory
from tests.candidates.factories import CandidateFactory

pytestmark = pytest.mark.django_db

if connection.vendor != "postgresql":  # pragma: no cover - the suite runs on PostgreSQL
    pytest.skip("database roles are PostgreSQL's", allow_module_level=True)


@pytest.fixture
def roles():
    """Both roles, as the compose `db` and `migrate` services leave them: roles.sql as the
    superuser, then `manage.py db_grants` (twice: it must be idempotent)."""
    call_command("db_grants", roles=True, stdout=None)
    call_command("db_grants")
    return APP_ROLE


@contextlib.contextmanager
def acting_as(role: str):
    """A savepoint in which the connection acts as ``role``; a failing statement rolls the
    savepoint (and the role) back, a passing block resets the role."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {role}")
        yield cursor
        cursor.execute("RESET ROLE")


def _audit_rows():
    """One row in each audit table: an access entry, and django-auditlog's entry for a new
    candidate."""
    user = UserFactory()
    AccessLog.objects.create(
        user=user,
        username=user.username,
        organisation=user.organisation,
        action=AccessLog.Action.VIEW,
        view="trajecten:candidate_detail",
        candidate_id=1,
    )
    CandidateFactory(consultant=user)
    assert LogEntry.objects.exists()
    return user


def test_the_roles_are_neither_superuser_nor_may_create_databases_or_roles(roles):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolname, rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolbypassrls "
            "FROM pg_roles WHERE rolname IN (%s, %s) ORDER BY rolname",
            [APP_ROLE, OWNER_ROLE],
        )
        assert cursor.fetchall() == [
            (APP_ROLE, True, False, False, False, False),
            (OWNER_ROLE, True, False, False, False, False),
        ]
        cursor.execute(
            "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'public'"
        )
        assert cursor.fetchone() == (OWNER_ROLE,)
        cursor.execute(
            "SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')"
        )
        assert cursor.fetchall() == [(OWNER_ROLE,)]


def test_the_app_role_can_append_to_and_read_the_audit_tables(roles):
    user = UserFactory()
    with acting_as(roles):
        entry = AccessLog.objects.create(
            user=user,
            username=user.username,
            organisation=user.organisation,
            action=AccessLog.Action.LIST,
            view="candidates:candidate_list",
            candidate_id=7,
        )
        # django-auditlog writes its entry as the application role too.
        CandidateFactory(consultant=user)
        assert AccessLog.objects.filter(pk=entry.pk).exists()
        assert LogEntry.objects.exists()


@pytest.mark.parametrize("table", AUDIT_TABLES)
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE {table} SET id = id",
        "DELETE FROM {table}",
        "TRUNCATE {table}",
    ],
)
def test_the_app_role_may_not_alter_or_remove_audit_entries(roles, table, statement):
    _audit_rows()
    with pytest.raises(ProgrammingError, match="permission denied"), acting_as(roles) as cursor:
        cursor.execute(statement.format(table=table))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (a constant table name)
        assert cursor.fetchone()[0] >= 1


def test_the_orm_as_the_app_role_cannot_delete_or_update_an_access_entry(roles):
    _audit_rows()
    with pytest.raises(ProgrammingError, match="permission denied"), acting_as(roles):
        AccessLog.objects.all().delete()
    with pytest.raises(ProgrammingError, match="permission denied"), acting_as(roles):
        AccessLog.objects.update(candidate_id=99)
    assert AccessLog.objects.get().candidate_id == 1


def _logentry_by(user) -> LogEntry:
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(AccessLog),
        object_pk="1",
        object_repr="x",
        action=LogEntry.Action.CREATE,
        actor=user,
    )


def test_the_one_audit_column_the_app_role_may_set_is_still_guarded_by_the_trigger(roles):
    """UPDATE (actor_id) stays granted for a demo account's deletion (SET NULL, ``seed_demo
    --reset``); the trigger refuses it for any other account, and every other column is
    refused by the grants."""
    real = _logentry_by(UserFactory())
    with pytest.raises(DatabaseError, match="append-only"), acting_as(roles) as cursor:
        cursor.execute("UPDATE auditlog_logentry SET actor_id = NULL")
    with pytest.raises(ProgrammingError, match="permission denied"), acting_as(roles) as cursor:
        cursor.execute("UPDATE auditlog_logentry SET object_repr = 'weg', actor_id = NULL")
    demo = UserFactory(is_demo=True)
    kept = _logentry_by(demo)
    with acting_as(roles):
        demo.delete()
    kept.refresh_from_db()
    real.refresh_from_db()
    assert kept.actor_id is None
    assert kept.object_repr == "x"
    assert real.actor_id is not None


def test_the_app_role_writes_the_other_tables(roles):
    with acting_as(roles):
        user = UserFactory()
        organisation = user.organisation
        organisation.name = "Nieuwe naam"
        organisation.save()
        assert Organisation.objects.get(pk=organisation.pk).name == "Nieuwe naam"
        candidate = CandidateFactory(consultant=user)
        candidate.delete()


def test_the_app_role_cannot_change_the_schema(roles):
    with pytest.raises(ProgrammingError, match="permission denied"), acting_as(roles) as cursor:
        cursor.execute("CREATE TABLE praktijkleren_probe (id int)")
    with pytest.raises(ProgrammingError, match="must be owner"), acting_as(roles) as cursor:
        cursor.execute("ALTER TABLE accounts_accesslog DISABLE TRIGGER USER")


def test_a_table_of_a_later_migration_gets_the_grants_by_default(roles):
    with acting_as(OWNER_ROLE) as cursor:
        cursor.execute(
            "CREATE TABLE praktijkleren_later (id bigint GENERATED BY DEFAULT AS IDENTITY, x int)"
        )
    with acting_as(roles) as cursor:
        cursor.execute("INSERT INTO praktijkleren_later (x) VALUES (1)")
        cursor.execute("UPDATE praktijkleren_later SET x = 2")
        cursor.execute("DELETE FROM praktijkleren_later")


def test_db_grants_takes_back_what_a_migration_granted_on_an_audit_table(roles):
    """Default privileges give a new table everything: db_grants after migrate revokes it on
    the audit tables again."""
    _audit_rows()
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT ALL ON accounts_accesslog TO {APP_ROLE}")
    call_command("db_grants")
    with pytest.raises(ProgrammingError, match="permission denied"), acting_as(roles) as cursor:
        cursor.execute("DELETE FROM accounts_accesslog")


def test_the_compose_stack_runs_the_application_as_the_app_role(settings):
    """docker-compose.yml: web, worker and beat connect as praktijkleren_app; the one-shot
    migrate as the owner, with db_grants right after migrate; the db service creates the roles
    at its first start."""
    import yaml

    compose = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]

    def database_user(service: str) -> str:
        url = services[service]["environment"]["DATABASE_URL"]
        return url.removeprefix("postgres://").split(":", 1)[0]

    for service in ["web", "worker", "beat"]:
        assert database_user(service) == APP_ROLE, service
    assert database_user("migrate") == OWNER_ROLE
    command = " ".join(services["migrate"]["command"])
    assert "manage.py migrate --no-input && python manage.py db_grants &&" in command
    volumes = services["db"]["volumes"]
    assert any(v.startswith("./ops/db/init-roles.sh:/docker-entrypoint-initdb.d/") for v in volumes)
    assert "./ops/db:/ops/db:ro" in volumes
    environment = services["db"]["environment"]
    assert {"PRAKTIJKLEREN_OWNER_PASSWORD", "PRAKTIJKLEREN_APP_PASSWORD"} <= set(environment)
