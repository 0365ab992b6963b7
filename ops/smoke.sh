#!/usr/bin/env bash
# Smoke test of the docker compose stack: starts it, waits for every service to be healthy,
# creates a user, logs in over HTTP, makes a voordracht, checks its e-mail in the mail catcher
# and the readiness probes, then stops the stack and leaves nothing running (ops/smoke.py).
#
#   ops/smoke.sh            # public images when a registry answers, else the local ones
#   ops/smoke.sh --local    # the local images of ops/images/build-local.sh, host network
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 ops/smoke.py "$@"
