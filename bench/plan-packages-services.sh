#!/usr/bin/env bash
# Benchmark (issue 17): plan time for HOSTS hosts (default 10) with 30 packages and 10 services each, against the
# same hosts and specs without them. The packages and services kinds read with one dpkg-query, one apt-cache and
# one service-manager call per host in the one batched read, so the ratio should stay within 1.3.
# Runs RUNS plans of each (default 3, the median counts) on reconciler/host-debian:1 containers and appends one
# line to bench/NOTES.md. Usage: bench/plan-packages-services.sh   (as root; the test images must exist:
# scripts/build-images.sh). Not part of the test suite: speed is measured here, never by a timed test.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
HOSTS="${HOSTS:-10}"
RUNS="${RUNS:-3}"
WORK="$(mktemp -d /tmp/reconciler-bench.XXXXXX)"
DOCKER=/usr/bin/docker
names=()
for i in $(seq 1 "$HOSTS"); do names+=("reconciler-bench-$i"); done
cleanup() { $DOCKER rm -f "${names[@]}" >/dev/null 2>&1 || true; [ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT

scripts/setup-docker.sh >/dev/null
dotnet build src/Reconciler.Cli -c Release -v quiet -nologo >/dev/null
reconciler() { dotnet "$ROOT/src/Reconciler.Cli/bin/Release/net10.0/reconciler.dll" "$@"; }
ssh-keygen -t ed25519 -N "" -q -f "$WORK/id" -C reconciler-bench

for n in "${names[@]}"; do
  $DOCKER run -d --name "$n" --cap-add NET_ADMIN --cap-add LINUX_IMMUTABLE --cap-add SYS_ADMIN \
    --security-opt systempaths=unconfined -e AUTHORIZED_KEY="$(cat "$WORK/id.pub")" -p 127.0.0.1::22 \
    reconciler/host-debian:1 >/dev/null
done

inventory="$WORK/without/inventory.yaml"
mkdir -p "$WORK/without" "$WORK/with"
{ echo "kind: inventory"; echo "hosts:"; } > "$inventory"
for n in "${names[@]}"; do
  port=$($DOCKER port "$n" 22/tcp | head -n1 | sed 's/.*://')
  key=""
  for _ in $(seq 1 100); do
    key=$($DOCKER exec "$n" sh -c 'cat /etc/ssh/ssh_host_ed25519_key.pub 2>/dev/null' | cut -d' ' -f1,2 || true)
    [ -n "$key" ] && $DOCKER logs "$n" 2>&1 | grep -q "Server listening" && break; sleep 0.2
  done
  printf '  %s:\n    address: 127.0.0.1\n    port: %s\n    identity_file: %s\n    host_key: "%s"\n' \
    "${n#reconciler-}" "$port" "$WORK/id" "$key" >> "$inventory"
done

# The same baseline for both: 10 sysctls and 20 files per host.
{
  echo "kind: resources"; echo "target: { group: all }"; echo "sysctls:"
  for k in tcp_syncookies tcp_max_syn_backlog tcp_synack_retries tcp_syn_retries tcp_fin_timeout \
           tcp_keepalive_time icmp_echo_ignore_broadcasts conf.all.accept_redirects conf.all.send_redirects conf.all.rp_filter; do
    echo "  - { key: net.ipv4.$k, value: \"$($DOCKER exec "${names[0]}" cat "/proc/sys/net/ipv4/${k//.//}")\" }"
  done
  echo "files:"
  for f in passwd group shadow gshadow hosts hostname fstab issue issue.net motd profile bash.bashrc \
           crontab login.defs securetty sudoers nsswitch.conf services protocols shells; do
    echo "  - { path: /etc/$f, when_missing: skip }"
  done
} > "$WORK/without/base.yaml"
cp "$inventory" "$WORK/with/inventory.yaml"
cp "$WORK/without/base.yaml" "$WORK/with/base.yaml"
{
  echo "kind: resources"; echo "target: { group: all }"; echo "packages:"
  # shellcheck disable=SC2016 # ${Package} is dpkg-query's field, not the shell's
  $DOCKER exec "${names[0]}" dpkg-query -W -f='${Package}\n' | head -n 30 | sed 's/.*/  - { name: & }/'
  echo "services:"
  for s in cron ssh procps sudo netfilter-persistent hwclock.sh rc-bench-6 rc-bench-7 rc-bench-8 rc-bench-9; do
    echo "  - { name: $s, enabled: true }"
  done
} > "$WORK/with/kinds.yaml"

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
measure() {
  for _ in $(seq 1 "$RUNS"); do
    start=$(date +%s.%N)
    reconciler plan --specs "$1" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f\n", b - a }'
  done | median
}
reconciler plan --specs "$WORK/with" >/dev/null 2>&1 || true   # warm-up: JIT, host keys, the hosts' first answers
without=$(measure "$WORK/without")
with=$(measure "$WORK/with")
ratio=$(awk -v a="$with" -v b="$without" 'BEGIN { printf "%.2f", a / b }')
line="$(date -u +%Y-%m-%d) $(git rev-parse --short HEAD): plan of $HOSTS hosts, 10 sysctls + 20 files each: ${without}s; with 30 packages + 10 services each: ${with}s; ratio $ratio (target <= 1.3; median of $RUNS, $(nproc) cores)"
echo "$line"
echo "- $line" >> bench/NOTES.md
