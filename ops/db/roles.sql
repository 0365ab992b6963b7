-- Praktijkleren's database roles (issue 9): least privilege for the running application.
--
--   praktijkleren_owner  owns the schema and every table; runs the migrations (the compose
--                        `migrate` service) and then `manage.py db_grants` (grants.sql).
--   praktijkleren_app    the web, worker and beat processes: SELECT, INSERT, UPDATE, DELETE on
--                        the tables, but only SELECT and INSERT on the audit tables
--                        (accounts_accesslog, auditlog_logentry); no DDL, no TRUNCATE.
--
-- Neither is a superuser or may create databases or roles. Run this as a superuser in the
-- portal's database (the compose `db` service does it once, at its first start, through
-- ops/db/init-roles.sh, which also sets both passwords), then grants.sql. Idempotent: run it
-- again on an existing database to adopt tables created by another role (it hands their
-- ownership to praktijkleren_owner). Plain SQL without psql commands, so the tests run it
-- through the application's own connection (tests/security/test_db_role.py).

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'praktijkleren_owner') THEN
        CREATE ROLE praktijkleren_owner;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'praktijkleren_app') THEN
        CREATE ROLE praktijkleren_app;
    END IF;
END
$$;

ALTER ROLE praktijkleren_owner
    LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT;
ALTER ROLE praktijkleren_app
    LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT;

-- Only these two (and superusers) may connect to the portal's database.
DO $$
BEGIN
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format(
        'GRANT CONNECT, TEMPORARY ON DATABASE %I TO praktijkleren_owner, praktijkleren_app',
        current_database()
    );
END
$$;

-- The owner owns the schema: only it creates objects there.
ALTER SCHEMA public OWNER TO praktijkleren_owner;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO praktijkleren_app;

-- Adopt what another role created before (e.g. migrations that ran as the superuser).
DO $$
DECLARE
    object record;
BEGIN
    FOR object IN
        SELECT c.relname AS name,
               CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                              WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END AS kind
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public'
          AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND pg_get_userbyid(c.relowner) <> 'praktijkleren_owner'
          -- a sequence owned by a table column follows its table
          AND NOT (c.relkind = 'S' AND EXISTS (
              SELECT FROM pg_depend d
              WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass
                AND d.deptype IN ('a', 'i')))
    LOOP
        EXECUTE format('ALTER %s public.%I OWNER TO praktijkleren_owner', object.kind, object.name);
    END LOOP;
    FOR object IN
        SELECT p.oid::regprocedure::text AS signature
        FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> 'praktijkleren_owner'
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO praktijkleren_owner', object.signature);
    END LOOP;
END
$$;
