#!/usr/bin/env bash
# Builds the Docker images used by the integration tests.
#   reconciler/bookworm-minbase:1  -- debootstrap --variant=minbase bookworm, imported (built only if missing)
#   reconciler/host-debian:1       -- tests/Reconciler.Integration.Tests/Hosts/debian-sshd/Dockerfile
#   reconciler/host-mail:1         -- tests/Reconciler.Integration.Tests/Hosts/debian-mail/Dockerfile (host-debian + postfix, dovecot, mariadb,
#                                     opendkim; mailgraph, librrds-perl, rsyslog and orphan-sysvinit-scripts, not started)
#   reconciler/host-systemd:1      -- tests/Reconciler.Integration.Tests/Hosts/debian-systemd/Dockerfile (host-debian + systemd as PID 1;
#                                     run with --tmpfs /run --tmpfs /run/lock -v /sys/fs/cgroup:/sys/fs/cgroup:ro --cap-add SYS_ADMIN)
#   reconciler/host-bind:1         -- tests/Reconciler.Integration.Tests/Hosts/debian-bind/Dockerfile (bookworm-minbase + bind9, dig, nsupdate;
#                                     idles until Fixtures/DnsZonePair.cs or demo.sh configures and starts named with rc-zone)
#   reconciler/host-ldap:1         -- tests/Reconciler.Integration.Tests/Hosts/debian-ldap/Dockerfile (host-debian + slapd 2.5 for
#                                     dc=example,dc=test, ldap-utils, lmdb-utils, db5.3-util; run it like host-debian)
#   reconciler/dotnet-sdk-local:<SDK>  -- tests/Reconciler.Integration.Tests/Images/dotnet-sdk/Dockerfile (bookworm-minbase + this machine's
#                                     .NET SDK and CA certificates: the SDK_IMAGE of the reconciler's own Dockerfile where no registry is)
#   reconciler/runtime-deps-local:1 -- tests/Reconciler.Integration.Tests/Images/runtime-deps/Dockerfile (its RUNTIME_IMAGE likewise)
#   reconciler/reconciler:test     -- the repository's Dockerfile FROM those two (scripts/build-image.sh --local-bases), which
#                                     Installing/ContainerImageTests rebuilds from the layer cache
# Usage: scripts/build-images.sh [--rebuild-base]
# Env:   DEBIAN_MIRROR (default: first URIs: line of /etc/apt/sources.list.d/debian.sources, else http://deb.debian.org/debian)
# Requires a running Docker engine and debootstrap (see scripts/setup-docker.sh). Run as root.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOSTS="$ROOT/tests/Reconciler.Integration.Tests/Hosts"
BASE_IMAGE="reconciler/bookworm-minbase:1"
HOST_IMAGE="reconciler/host-debian:1"

# The docker CLI agrees on the API version with the engine by itself (older engines such as Debian 12's docker.io
# speak at most 1.41, current ones nothing below 1.44): nothing is pinned.
DOCKER=docker

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

# Builds one image from its directory under Hosts/. Docker's layer cache makes an unchanged image a no-op.
#   $1 image tag, $2 directory under Hosts/ (or under $3)
build_image() {
  local image="$1" dir="${3:-$HOSTS}/$2" log
  echo "build-images: building $image"
  log="$(mktemp /tmp/reconciler-build.XXXXXX.log)"
  # --network host: the build resolves the mirror exactly as this machine does (incl. /etc/hosts).
  if ! $DOCKER build --network host -t "$image" "$dir" >"$log" 2>&1; then
    echo "build-images: docker build failed, see $log" >&2; tail -30 "$log" >&2; exit 1
  fi
  rm -f "$log"
}

MAIL_IMAGE="reconciler/host-mail:1"
SYSTEMD_IMAGE="reconciler/host-systemd:1"
BIND_IMAGE="reconciler/host-bind:1"
LDAP_IMAGE="reconciler/host-ldap:1"
# host-debian first: host-mail, host-systemd and host-ldap are built FROM it.
build_image "$HOST_IMAGE" debian-sshd
build_image "$MAIL_IMAGE" debian-mail
build_image "$SYSTEMD_IMAGE" debian-systemd
build_image "$BIND_IMAGE" debian-bind
build_image "$LDAP_IMAGE" debian-ldap
# The stand-ins for the official .NET images. The SDK's is keyed by the SDK's version and built only when missing: its
# build context is a copy of the whole SDK (about 600 MB).
SDK_LOCAL_IMAGE="reconciler/dotnet-sdk-local:$(dotnet --version)"
if ! $DOCKER image inspect "$SDK_LOCAL_IMAGE" >/dev/null 2>&1; then
  echo "build-images: building $SDK_LOCAL_IMAGE from $(dirname "$(readlink -f "$(command -v dotnet)")")"
  context="$(mktemp -d /tmp/reconciler-sdk.XXXXXX)"
  cp "$ROOT/tests/Reconciler.Integration.Tests/Images/dotnet-sdk/Dockerfile" "$context/"
  cp -a "$(dirname "$(readlink -f "$(command -v dotnet)")")" "$context/dotnet"
  mkdir "$context/certificates"
  cp /usr/local/share/ca-certificates/*.crt "$context/certificates/" 2>/dev/null || true
  log="$(mktemp /tmp/reconciler-build.XXXXXX.log)"
  if ! $DOCKER build --network host -t "$SDK_LOCAL_IMAGE" "$context" >"$log" 2>&1; then
    echo "build-images: docker build failed, see $log" >&2; tail -30 "$log" >&2; rm -rf "$context"; exit 1
  fi
  rm -rf "$context" "$log"
fi
build_image reconciler/runtime-deps-local:1 runtime-deps "$ROOT/tests/Reconciler.Integration.Tests/Images"
# The reconciler's own image, so that the tests' rebuild finds every layer cached.
echo "build-images: building reconciler/reconciler:test"
"$ROOT/scripts/build-image.sh" --local-bases reconciler/reconciler:test >/dev/null

# Drop the previous images if these builds replaced them (dangling, same label); host-debian last, once the images
# built FROM it no longer hold on to the old one.
for label in host-mail host-systemd host-bind host-ldap host-debian runtime-deps-local; do
  $DOCKER image prune -f --filter "label=org.reconciler.test-image=$label" >/dev/null 2>&1 || true
done
echo "build-images: ok ($BASE_IMAGE, $HOST_IMAGE, $MAIL_IMAGE, $SYSTEMD_IMAGE, $BIND_IMAGE, $LDAP_IMAGE, $SDK_LOCAL_IMAGE, reconciler/runtime-deps-local:1, reconciler/reconciler:test)"
