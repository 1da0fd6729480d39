#!/usr/bin/env bash
# Prepares this machine for the Reconciler integration tests. Idempotent; fast on re-run.
#   1. apt-installs docker.io, debootstrap, openssh-client, shellcheck, time if missing
#   2. starts dockerd in the background (log: /var/log/dockerd.log) if `docker info` fails, waits until ready
#   3. runs scripts/build-images.sh (base image only if missing; host image via layer cache)
# Usage: sudo scripts/setup-docker.sh            (env DOCKERD_TIMEOUT=60 seconds to wait for dockerd)
# Afterwards tests need nothing else: their fixture agrees on the API version with the engine it finds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TIMEOUT="${DOCKERD_TIMEOUT:-60}"

if [ "$(id -u)" -ne 0 ]; then echo "setup-docker: must run as root" >&2; exit 1; fi

missing=()
command -v dockerd >/dev/null 2>&1 && [ -x /usr/bin/docker ] || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
command -v ssh-keygen >/dev/null 2>&1 && command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
[ -x /usr/bin/time ] || missing+=(time) # the hostile suite measures the CLI's peak RSS with /usr/bin/time -f %M
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup-docker: apt-get install ${missing[*]}"
  # Wait for a concurrent apt/dpkg run (e.g. a provisioning job) instead of failing on the lock.
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

DOCKER=/usr/bin/docker
if ! $DOCKER info >/dev/null 2>&1; then
  echo "setup-docker: starting dockerd (log /var/log/dockerd.log)"
  nohup setsid dockerd >>/var/log/dockerd.log 2>&1 </dev/null &
  deadline=$((SECONDS + TIMEOUT))
  until $DOCKER info >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "setup-docker: dockerd not ready after ${TIMEOUT}s, see /var/log/dockerd.log" >&2; exit 1
    fi
    sleep 1
  done
fi

"$ROOT/scripts/build-images.sh"
