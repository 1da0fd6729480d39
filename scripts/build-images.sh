#!/usr/bin/env bash
# Builds the Docker images used by the integration tests.
#   reconciler/bookworm-minbase:1  -- debootstrap --variant=minbase bookworm, imported (built only if missing)
#   reconciler/host-debian:1       -- tests/Reconciler.Integration.Tests/Hosts/debian-sshd/Dockerfile
#   reconciler/host-mail:1         -- tests/Reconciler.Integration.Tests/Hosts/debian-mail/Dockerfile (host-debian + postfix, dovecot, mariadb)
#   reconciler/host-systemd:1      -- tests/Reconciler.Integration.Tests/Hosts/debian-systemd/Dockerfile (host-debian + systemd as PID 1;
#                                     run with --tmpfs /run --tmpfs /run/lock -v /sys/fs/cgroup:/sys/fs/cgroup:ro --cap-add SYS_ADMIN)
# Usage: scripts/build-images.sh [--rebuild-base]
# Env:   DEBIAN_MIRROR (default: first URIs: line of /etc/apt/sources.list.d/debian.sources, else http://deb.debian.org/debian)
# Requires a running Docker engine and debootstrap (see scripts/setup-docker.sh). Run as root.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOSTS="$ROOT/tests/Reconciler.Integration.Tests/Hosts"
BASE_IMAGE="reconciler/bookworm-minbase:1"
HOST_IMAGE="reconciler/host-debian:1"

# Prefer the docker.io client (matches engine API 1.41); otherwise pin the API version.
if [ -x /usr/bin/docker ]; then DOCKER=/usr/bin/docker; else DOCKER=docker; export DOCKER_API_VERSION="${DOCKER_API_VERSION:-1.41}"; fi

REBUILD_BASE=0
[ "${1:-}" = "--rebuild-base" ] && REBUILD_BASE=1

detect_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
  local m=""
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    m=$(awk '/^URIs:/ && $2 ~ /\/debian\/?$/ {print $2; exit}' "$f")
    [ -n "$m" ] && break
  done
  if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
    m=$(awk '$1=="deb" && $0 ~ /bookworm[ \t]/ { for (i=2;i<=NF;i++) if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list)
  fi
  echo "${m:-http://deb.debian.org/debian}"
}

if [ "$REBUILD_BASE" = 1 ] || ! $DOCKER image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  MIRROR="$(detect_mirror)"
  echo "build-images: debootstrap bookworm minbase from $MIRROR (about a minute)..."
  TMP="$(mktemp -d /tmp/reconciler-rootfs.XXXXXX)"
  trap 'rm -rf "$TMP"' EXIT
  if ! debootstrap --variant=minbase bookworm "$TMP/rootfs" "$MIRROR" >"$TMP.log" 2>&1; then
    echo "build-images: debootstrap failed, see $TMP.log" >&2; tail -20 "$TMP.log" >&2; exit 1
  fi
  rm -f "$TMP.log"
  # Trim apt caches; keep a sources file that points at the same mirror for image builds.
  rm -rf "$TMP/rootfs/var/cache/apt/archives/"*.deb "$TMP/rootfs/var/lib/apt/lists/"*
  cat >"$TMP/rootfs/etc/apt/sources.list" <<SRC
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
SRC
  tar -C "$TMP/rootfs" -c . | $DOCKER import \
      -c 'ENV LANG=C.UTF-8' -c 'CMD ["/bin/bash"]' - "$BASE_IMAGE" >/dev/null
  rm -rf "$TMP"; trap - EXIT
  echo "build-images: imported $BASE_IMAGE"
fi

# --network host: the build resolves the mirror exactly as this machine does (incl. /etc/hosts).
echo "build-images: building $HOST_IMAGE"
LOG="$(mktemp /tmp/reconciler-build.XXXXXX.log)"
if ! $DOCKER build --network host -t "$HOST_IMAGE" "$HOSTS/debian-sshd" >"$LOG" 2>&1; then
  echo "build-images: docker build failed, see $LOG" >&2; tail -30 "$LOG" >&2; exit 1
fi
rm -f "$LOG"
MAIL_IMAGE="reconciler/host-mail:1"
echo "build-images: building $MAIL_IMAGE"
LOG="$(mktemp /tmp/reconciler-build.XXXXXX.log)"
if ! $DOCKER build --network host -t "$MAIL_IMAGE" "$HOSTS/debian-mail" >"$LOG" 2>&1; then
  echo "build-images: docker build failed, see $LOG" >&2; tail -30 "$LOG" >&2; exit 1
fi
rm -f "$LOG"
$DOCKER image prune -f --filter label=org.reconciler.test-image=host-mail >/dev/null 2>&1 || true
SYSTEMD_IMAGE="reconciler/host-systemd:1"
echo "build-images: building $SYSTEMD_IMAGE"
LOG="$(mktemp /tmp/reconciler-build.XXXXXX.log)"
if ! $DOCKER build --network host -t "$SYSTEMD_IMAGE" "$HOSTS/debian-systemd" >"$LOG" 2>&1; then
  echo "build-images: docker build failed, see $LOG" >&2; tail -30 "$LOG" >&2; exit 1
fi
rm -f "$LOG"
$DOCKER image prune -f --filter label=org.reconciler.test-image=host-systemd >/dev/null 2>&1 || true
# Drop the previous host image if this build replaced it (dangling, same label).
$DOCKER image prune -f --filter label=org.reconciler.test-image=host-debian >/dev/null 2>&1 || true
echo "build-images: ok ($BASE_IMAGE, $HOST_IMAGE, $MAIL_IMAGE, $SYSTEMD_IMAGE)"
