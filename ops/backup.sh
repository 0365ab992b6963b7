#!/usr/bin/env bash
# Backup of the compose stack's database: pg_dump in custom format (compressed, restorable table
# by table) from the `db` service, with a SHA-256 checksum beside it.
#
#   ops/backup.sh [OUT_DIR]      # default ./backups; prints the dump's path
#
# COMPOSE (default: `docker compose`, else `docker-compose`) and COMPOSE_ARGS (e.g. "-p name
# --env-file x -f docker-compose.yml -f docker-compose.local.yml") choose the stack. The dump holds
# owners, grants and the audit tables' triggers; ops/restore.sh restores it into a fresh database.
# How often and how long: docs/operations.md, "Backups".
set -euo pipefail
cd "$(dirname "$0")/.."
out_dir="${1:-backups}"
if [ -z "${COMPOSE:-}" ]; then
    if docker compose version > /dev/null 2>&1; then COMPOSE="docker compose"; else COMPOSE=docker-compose; fi
fi
read -r -a compose <<< "$COMPOSE ${COMPOSE_ARGS:-}"
mkdir -p "$out_dir"
chmod 700 "$out_dir"
file="$out_dir/praktijkleren-$(date -u +%Y%m%dT%H%M%SZ).dump"
if [ -e "$file" ] || [ -e "$file.partial" ]; then  # two backups in one second: keep the first
    echo "backup: $file exists; not overwritten (try again in a second)" >&2
    exit 1
fi
# The superuser of the db service, in its database (both from the service's own environment).
"${compose[@]}" exec -T db sh -c 'pg_dump --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" --format custom --compress 6' > "$file.partial"
mv "$file.partial" "$file"
(cd "$out_dir" && sha256sum "$(basename "$file")" > "$(basename "$file").sha256")
echo "$file"
