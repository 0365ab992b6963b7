#!/usr/bin/env bash
# Builds local stand-ins for the stack's base images from Debian's own packages, for machines
# that reach Debian's package mirror but no image registry (docker-compose.local.yml uses them):
#
#   praktijkleren-local/debian:bookworm   debootstrap --variant=minbase, then docker import
#   praktijkleren-local/python:3.11       Debian's python3 (3.11) for the portal's Dockerfile
#   praktijkleren-local/postgres:15       Debian's postgresql-15, official image's entrypoint subset
#   praktijkleren-local/redis:7           Debian's redis-server (7.0)
#   praktijkleren-local/mail:latest       a Mailpit-compatible catcher on Debian's python3-aiosmtpd
#
# Needs root (debootstrap), docker and debootstrap (apt-get install docker.io debootstrap).
# Images that exist are kept; REBUILD=1 builds them again. DEBIAN_MIRROR picks another mirror.
# The certificate authorities in LOCAL_CA_DIR (default /usr/local/share/ca-certificates: what
# this machine trusts beyond Debian's list, e.g. a TLS-inspecting proxy's) go into the Python
# image, so that pip and uv reach the package registries from inside it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
suite=bookworm
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
rootfs="${ROOTFS_DIR:-/var/tmp/praktijkleren-rootfs-$suite}"
prefix=praktijkleren-local
base="$prefix/debian:$suite"

exists() { [ "${REBUILD:-0}" != 1 ] && docker image inspect "$1" > /dev/null 2>&1; }

if ! exists "$base"; then
    if [ ! -x "$rootfs/bin/sh" ]; then
        echo "debootstrap $suite into $rootfs ..."
        debootstrap --variant=minbase "$suite" "$rootfs" "$mirror"
    fi
    tar -C "$rootfs" -c . | docker import - "$base"
fi

context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
cp "$here"/*.Dockerfile "$here"/*.sh "$here"/*.py "$context"/
mkdir -p "$context/ca"
find "${LOCAL_CA_DIR:-/usr/local/share/ca-certificates}" -maxdepth 1 -name '*.crt' \
    -exec cp {} "$context/ca/" \; 2>/dev/null || true

for image in python:3.11 postgres:15 redis:7 mail:latest; do
    name="${image%%:*}"
    if exists "$prefix/$image"; then
        echo "$prefix/$image: present"
        continue
    fi
    echo "building $prefix/$image ..."
    docker build --network host --build-arg "BASE=$base" -t "$prefix/$image" \
        -f "$context/$name.Dockerfile" "$context"
done
docker image ls "$prefix/*"
