#!/usr/bin/env bash
# Restore a dump of ops/backup.sh into a fresh database of the compose stack's `db` service.
#
#   ops/restore.sh DUMP [DATABASE]    # DATABASE default: praktijkleren_restored
#
# Checks the dump's SHA-256 first (DUMP.sha256), refuses a DATABASE that exists, creates it and
# restores with owners and grants (the roles praktijkleren_owner and praktijkleren_app exist in
# every stack: ops/db/init-roles.sh). To serve the restored database, point DATABASE_URL of web,
# worker and beat at it (or restore into the stack's own database name after dropping it, with
# web, worker and beat stopped). COMPOSE and COMPOSE_ARGS as for ops/backup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
dump="${1:?usage: ops/restore.sh DUMP [DATABASE]}"
database="${2:-praktijkleren_restored}"
if [[ ! "$database" =~ ^[a-z_][a-z0-9_]*$ ]]; then
    echo "restore: the database name may hold a-z, 0-9 and _ only" >&2
    exit 2
fi
(cd "$(dirname "$dump")" && sha256sum --check --quiet "$(basename "$dump").sha256")
if [ -z "${COMPOSE:-}" ]; then
    if docker compose version > /dev/null 2>&1; then COMPOSE="docker compose"; else COMPOSE=docker-compose; fi
fi
read -r -a compose <<< "$COMPOSE ${COMPOSE_ARGS:-}"
"${compose[@]}" exec -T -e TARGET="$database" db sh -c '
    set -eu
    if psql --username "$POSTGRES_USER" --dbname postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '"'"'$TARGET'"'"'" | grep -q 1; then
        echo "restore: database $TARGET exists; choose another name" >&2
        exit 3
    fi
    createdb --username "$POSTGRES_USER" "$TARGET"
    psql --username "$POSTGRES_USER" --dbname "$TARGET" -qc "REVOKE CONNECT ON DATABASE \"$TARGET\" FROM PUBLIC; GRANT CONNECT ON DATABASE \"$TARGET\" TO praktijkleren_owner, praktijkleren_app"
    pg_restore --username "$POSTGRES_USER" --dbname "$TARGET" --exit-on-error --single-transaction
' < "$dump"
echo "restored $dump into $database"
