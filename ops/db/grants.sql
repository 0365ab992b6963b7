-- The application role's privileges on the portal's tables (see roles.sql for the roles).
-- Run by praktijkleren_owner (or a superuser) after every `migrate`: `manage.py db_grants`
-- executes this file, and the compose `migrate` service runs that command. Idempotent.

GRANT USAGE ON SCHEMA public TO praktijkleren_app;

-- Every table and sequence that exists now ...
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO praktijkleren_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO praktijkleren_app;

-- ... and those that later migrations create (they run as praktijkleren_owner).
ALTER DEFAULT PRIVILEGES FOR ROLE praktijkleren_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO praktijkleren_app;
ALTER DEFAULT PRIVILEGES FOR ROLE praktijkleren_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO praktijkleren_app;

-- The audit tables: read and append only (their trigger, accounts migration 0004, refuses
-- UPDATE, DELETE and TRUNCATE as well). Revoking the table's UPDATE revokes its column grants
-- too; the one column grant after it keeps django-auditlog's SET NULL of a deleted *demo*
-- account as actor possible (the trigger allows nothing else: `seed_demo --reset`).
DO $$
DECLARE
    audit_table text;
BEGIN
    FOREACH audit_table IN ARRAY ARRAY['accounts_accesslog', 'auditlog_logentry'] LOOP
        IF to_regclass(format('public.%I', audit_table)) IS NOT NULL THEN
            EXECUTE format(
                'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON public.%I '
                'FROM praktijkleren_app', audit_table
            );
            EXECUTE format('GRANT SELECT, INSERT ON public.%I TO praktijkleren_app', audit_table);
        END IF;
    END LOOP;
    IF to_regclass('public.auditlog_logentry') IS NOT NULL THEN
        GRANT UPDATE (actor_id) ON public.auditlog_logentry TO praktijkleren_app;
    END IF;
END
$$;
