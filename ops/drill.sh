#!/usr/bin/env bash
# Restore drill: backup of a seeded stack, restore into a fresh database, equal row counts and
# checksums per table, and the restored portal serving a candidate's page (ops/drill.py).
#
#   ops/drill.sh [--local]
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 ops/drill.py "$@"
