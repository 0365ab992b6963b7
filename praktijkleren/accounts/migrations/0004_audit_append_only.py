"""The audit tables are append-only in PostgreSQL: a trigger refuses UPDATE, DELETE and
TRUNCATE on ``accounts_accesslog`` (reads of personal data) and ``auditlog_logentry``
(changes, django-auditlog), so the application's own database role cannot alter or remove an
entry, even through SQL injection.

One exception: deleting a demo account (``seed_demo --reset``) may clear it as the actor of its
``LogEntry`` rows (the foreign key's SET NULL) and change nothing else. A real user with entries
cannot be deleted (deactivate it instead).

One way round, for maintenance only: a **superuser** session that sets
``SET praktijkleren.audit_maintenance = 'on'``. A superuser can disable triggers anyway
(``ALTER TABLE ... DISABLE TRIGGER``), so this grants nothing new; the application's role must
not be a superuser. The test suite's role is one: only Django's ``flush`` between transactional
tests uses this way round (``tests/conftest.py``); everything else in the tests runs refused. On SQLite this migration does nothing.
"""

from django.db import migrations

TABLES = ("accounts_accesslog", "auditlog_logentry")

FUNCTION = """
CREATE OR REPLACE FUNCTION praktijkleren_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('praktijkleren.audit_maintenance', true), '') = 'on'
       AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    -- Deleting a demo account (seed_demo --reset) clears it as the actor of its entries
    -- (django-auditlog's SET NULL); nothing else of the entry may change.
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'auditlog_logentry' THEN
        IF (to_jsonb(NEW) ->> 'actor_id') IS NULL
           AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id')
           AND EXISTS (SELECT 1 FROM accounts_user
                       WHERE id = (to_jsonb(OLD) ->> 'actor_id')::bigint AND is_demo) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit log % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""


def _forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION praktijkleren_audit_append_only()"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION praktijkleren_audit_append_only()"
        )


def _backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS praktijkleren_audit_append_only()")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_access_log"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(_forward, _backward, elidable=False)]
