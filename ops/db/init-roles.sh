#!/bin/sh
# First start of the compose `db` service (mounted into /docker-entrypoint-initdb.d): create the
# owner and application roles (ops/db/roles.sql), their privileges (ops/db/grants.sql) and set
# both passwords from the environment. The official postgres image runs this once, as the
# superuser POSTGRES_USER, in POSTGRES_DB.
set -eu
sql_dir="${PRAKTIJKLEREN_SQL_DIR:-/ops/db}"
: "${PRAKTIJKLEREN_OWNER_PASSWORD:?set PRAKTIJKLEREN_OWNER_PASSWORD in .env}"
: "${PRAKTIJKLEREN_APP_PASSWORD:?set PRAKTIJKLEREN_APP_PASSWORD in .env}"

run_psql() {
    psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" "$@"
}

run_psql --file "$sql_dir/roles.sql"
run_psql --file "$sql_dir/grants.sql"
# Passwords as psql variables (quoted by psql), never on a command line of their own.
run_psql -v owner_password="$PRAKTIJKLEREN_OWNER_PASSWORD" \
    -v app_password="$PRAKTIJKLEREN_APP_PASSWORD" <<'SQL'
ALTER ROLE praktijkleren_owner PASSWORD :'owner_password';
ALTER ROLE praktijkleren_app PASSWORD :'app_password';
SQL
