#!/usr/bin/env bash
# Make a docker engine and compose available for ops/smoke.sh, if this machine allows it:
# install Debian's docker.io, docker-compose and debootstrap when missing, start dockerd (as
# root, without bridge or iptables, vfs storage: what works inside a sandbox), wait for it.
# Exit 0 when `docker info` answers; else 1 with the reason on stderr. Never changes a running
# engine.
set -uo pipefail

say() { echo "docker-engine: $*" >&2; }

if docker info > /dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    say "no running engine, and starting one needs root"
    exit 1
fi
if ! command -v dockerd > /dev/null 2>&1 || ! command -v debootstrap > /dev/null 2>&1 \
    || { ! docker compose version > /dev/null 2>&1 && ! command -v docker-compose > /dev/null 2>&1; }; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        docker.io docker-compose debootstrap > /dev/null; } \
        || { say "could not install docker.io, docker-compose and debootstrap"; exit 1; }
fi
log="${DOCKERD_LOG:-/var/log/praktijkleren-dockerd.log}"
nohup dockerd --iptables=false --bridge=none --storage-driver=vfs > "$log" 2>&1 &
for _ in $(seq 1 30); do
    if docker info > /dev/null 2>&1; then
        exit 0
    fi
    sleep 1
done
say "dockerd did not start (see $log): $(tail -n 3 "$log" 2>/dev/null | tr '\n' ' ')"
exit 1
