#!/usr/bin/env bash
# The project's benchmark (issue 22): Reconciler against the ssh floor and Ansible on the same hosts and items, and
# Reconciler alone on a simulated 1,000-host fleet. Writes a Markdown table to stdout and to $OUT. Not a test and
# not part of CI: see bench/README.md for what it measures, why, and its last results.
#
# Usage: sudo bench/run.sh
# Env:   RUNS=3             timed runs of each measurement (min/median/max; targets use the median)
#        PARALLEL=32        hosts at once for every tool: reconciler --parallel, ansible forks, the floor's xargs -P
#        TEN_HOSTS=10       hosts of the side-by-side fleet (one reconciler/bench-target:1 container each)
#        FLEET_HOSTS=1000   simulated hosts of the large fleet (0 skips it); PER_CONTAINER=250 sshd per container
#        FLEET_RUNS=RUNS    timed runs on the large fleet; FLEET_CONVERGE=copy (apply to one host per container, copy
#                           its state to the others) or apply (one timed apply of every host)
#        RECONCILER_BIN=    a reconciler binary to measure instead of publishing this checkout's
#        OUT=bench/results/latest.md   where the table goes besides stdout
#        SETUP=1            0 skips scripts/setup-docker.sh (dockerd running, test images built)
#        KEEP_WORK=0        1 keeps the work directory (specs, playbook, logs of every run) and prints its path
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RUNS="${RUNS:-3}"
PARALLEL="${PARALLEL:-32}"
TEN_HOSTS="${TEN_HOSTS:-10}"
FLEET_HOSTS="${FLEET_HOSTS:-1000}"
FLEET_RUNS="${FLEET_RUNS:-$RUNS}"
FLEET_CONVERGE="${FLEET_CONVERGE:-copy}"
PER_CONTAINER="${PER_CONTAINER:-250}"
OUT="${OUT:-$ROOT/bench/results/latest.md}"
SETUP="${SETUP:-1}"
ITEMS=20 # per host, the same for both tools: 10 files, 2 directories, 4 sysctls, 4 config lines

if [ "$(id -u)" -ne 0 ]; then echo "bench: must run as root (docker, apt)" >&2; exit 1; fi
for v in RUNS PARALLEL TEN_HOSTS FLEET_HOSTS PER_CONTAINER; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "bench: $v must be a number, not '${!v}'" >&2; exit 1; }
done
if [ "$RUNS" -lt 1 ] || [ "$TEN_HOSTS" -lt 1 ] || [ "$PER_CONTAINER" -lt 1 ] || [ "$PARALLEL" -lt 1 ]; then
  echo "bench: RUNS, TEN_HOSTS, PER_CONTAINER and PARALLEL must be at least 1" >&2; exit 1
fi

DOCKER=docker
LABEL=org.reconciler.bench
WORK="$(mktemp -d /tmp/reconciler-bench.XXXXXX)"
RESULTS="$WORK/results.tsv" # name, rc, wall s, peak RSS KB, user s, sys s, host CPU ns
: >"$RESULTS"
NOTES=()                    # what went wrong or looks off; printed under the table

log() { echo "bench: $*" >&2; }
note() { NOTES+=("$*"); log "NOTE: $*"; }

# Containers carry the pid of the run that made them: this run removes its own on exit, and at start the ones whose
# run is gone (killed before its trap ran), never those of a run still going.
cleanup() {
  local ids=()
  mapfile -t ids < <($DOCKER ps -aq --filter "label=$LABEL=$$" 2>/dev/null || true)
  [ "${#ids[@]}" -eq 0 ] || $DOCKER rm -f "${ids[@]}" >/dev/null 2>&1 || true
  close_control_masters
  if [ "${KEEP_WORK:-0}" = 1 ]; then log "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
close_control_masters() {
  local sock
  for sock in "$WORK"/cp.*/*; do
    if [ -S "$sock" ]; then ssh -o ControlPath="$sock" -O exit bench >/dev/null 2>&1 || true; fi
  done
  rm -rf "$WORK"/cp.* 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

remove_stale_containers() {
  local id pid
  while read -r id pid; do
    [ -n "$id" ] || continue
    if [ ! -r "/proc/$pid/cmdline" ] || ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'bench/run.sh'; then
      $DOCKER rm -f "$id" >/dev/null 2>&1 || true
    fi
  done < <($DOCKER ps -a --filter "label=$LABEL" --format "{{.ID}} {{.Label \"$LABEL\"}}" 2>/dev/null || true)
}

# ---------------------------------------------------------------------------------------------------------------
# Setup: docker and the test images, Ansible, the reconciler binary, the bench images.

if [ "$SETUP" = 1 ]; then
  log "setup: scripts/setup-docker.sh (dockerd, cached test images)"
  scripts/setup-docker.sh >"$WORK/setup-docker.log" 2>&1 || { cat "$WORK/setup-docker.log" >&2; exit 1; }
fi
$DOCKER image inspect reconciler/host-debian:1 >/dev/null 2>&1 ||
  { echo "bench: reconciler/host-debian:1 missing; run without SETUP=0" >&2; exit 1; }
if ! command -v ansible-playbook >/dev/null 2>&1; then
  log "setup: apt-get install ansible (Debian's, with ansible.posix)"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends ansible \
    >"$WORK/apt.log" 2>&1 || { cat "$WORK/apt.log" >&2; exit 1; }
fi
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
remove_stale_containers

if [ -n "${RECONCILER_BIN:-}" ]; then
  RECONCILER="$(readlink -f "$RECONCILER_BIN")"
  [ -x "$RECONCILER" ] || { echo "bench: RECONCILER_BIN=$RECONCILER_BIN is not an executable" >&2; exit 1; }
else
  # For this platform, as the container image is: ahead-of-time compiled (ReadyToRun), framework-dependent.
  log "setup: dotnet publish src/Reconciler.Cli -c Release -r linux-x64 (about two minutes)"
  dotnet publish src/Reconciler.Cli -c Release -r linux-x64 --self-contained false -o "$WORK/bin" -v quiet -nologo \
    >"$WORK/publish.log" 2>&1 ||
    { cat "$WORK/publish.log" >&2; exit 1; }
  RECONCILER="$WORK/bin/reconciler"
fi

build_bench_image() {
  log "setup: docker build $1"
  $DOCKER build --network host -t "$1" "$ROOT/bench/images/$2" >"$WORK/build-$2.log" 2>&1 ||
    { tail -30 "$WORK/build-$2.log" >&2; exit 1; }
}
build_bench_image reconciler/bench-target:1 target
build_bench_image reconciler/bench-fleet:1 fleet # FROM bench-target, so after it

ssh-keygen -q -t ed25519 -N '' -C reconciler-bench -f "$WORK/id"
AUTHORIZED_KEY="$(cat "$WORK/id.pub")"

# ---------------------------------------------------------------------------------------------------------------
# The 20 items, once for each tool. Values differ from the image's, so a fresh host needs every item changed.

SYSCTLS=(net.ipv4.tcp_syncookies=1 net.ipv4.tcp_fin_timeout=20 net.ipv4.tcp_keepalive_time=600
         net.ipv4.tcp_synack_retries=3)
SETTINGS=("ListenBacklog 512" "MaxClients 100" "LogLevel warn" "Timeout 60") # the image has other values
file_content() { printf '# bench file %s, managed\nname = file-%s\nvalue = %s\n' "$1" "$1" "$((10#$1 * 7))"; }

write_reconciler_resources() {
  local f="$1" n kv line
  {
    echo "kind: resources"
    echo "target: { group: all }"
    echo "files:"
    for n in $(seq -w 1 10); do
      echo "  - path: /etc/bench/file-$n.conf"
      echo "    content: |"
      file_content "$n" | sed 's/^/      /'
      echo "    owner: root"
      echo "    mode: \"0644\""
    done
    for n in 1 2; do
      echo "  - { path: /etc/bench/dir-$n, type: directory, mode: \"0755\" }"
    done
    echo "sysctls:"
    for kv in "${SYSCTLS[@]}"; do echo "  - { key: ${kv%%=*}, value: \"${kv#*=}\" }"; done
    echo "config_lines:"
    for line in "${SETTINGS[@]}"; do
      echo "  - { path: /etc/bench/settings.conf, key: ${line%% *}, value: \"${line#* }\" }"
    done
  } >"$f"
}

# The same items as a playbook an Ansible user would write: one task per kind, a loop per item. The sysctls go to
# the file reconciler persists them in, so after either tool's apply the other finds nothing to change.
write_playbook() {
  local f="$1" n kv line
  {
    echo "- hosts: all"
    echo "  gather_facts: false"
    echo "  tasks:"
    echo "    - name: files"
    echo "      ansible.builtin.copy:"
    echo "        dest: \"/etc/bench/file-{{ item.n }}.conf\""
    echo "        content: \"{{ item.content }}\""
    echo "        owner: root"
    echo "        mode: \"0644\""
    echo "      loop:"
    for n in $(seq -w 1 10); do
      printf '        - { n: "%s", content: "%s" }\n' "$n" "$(file_content "$n" | sed 's/$/\\n/' | tr -d '\n')"
    done
    echo "    - name: directories"
    echo "      ansible.builtin.file: { path: \"/etc/bench/dir-{{ item }}\", state: directory, mode: \"0755\" }"
    echo "      loop: [1, 2]"
    echo "    - name: sysctls"
    echo "      ansible.posix.sysctl:"
    echo "        name: \"{{ item.key }}\""
    echo "        value: \"{{ item.value }}\""
    echo "        sysctl_file: \"/etc/sysctl.d/zz-reconciler-{{ item.key }}.conf\""
    echo "        sysctl_set: true"
    echo "        reload: true"
    echo "      loop:"
    for kv in "${SYSCTLS[@]}"; do echo "        - { key: ${kv%%=*}, value: \"${kv#*=}\" }"; done
    echo "    - name: settings"
    echo "      ansible.builtin.lineinfile:"
    echo "        path: /etc/bench/settings.conf"
    printf '%s\n' '        regexp: "^{{ item.key }}\\s"'
    echo "        line: \"{{ item.key }} {{ item.value }}\""
    echo "      loop:"
    for line in "${SETTINGS[@]}"; do echo "        - { key: ${line%% *}, value: \"${line#* }\" }"; done
  } >"$f"
}

write_ansible_cfg() {
  cat >"$1" <<CFG
[defaults]
forks = $PARALLEL
host_key_checking = True
gathering = explicit
interpreter_python = /usr/bin/python3
retry_files_enabled = False
nocolor = True
local_tmp = $WORK/ansible-tmp

[ssh_connection]
pipelining = True
# ControlPath's directory is fresh per run (ANSIBLE_SSH_CONTROL_PATH_DIR): every run starts cold, as in CI.
ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=$WORK/known_hosts.current -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes
CFG
}

write_reconciler_resources "$WORK/resources.yaml"
write_playbook "$WORK/site.yml"
write_ansible_cfg "$WORK/ansible.cfg"

# ---------------------------------------------------------------------------------------------------------------
# Fleets. A fleet is a hosts file (name, address, port, host key) plus its containers; from it come the
# reconciler's specs, Ansible's inventory, the pinned known_hosts and the floor's ssh argument lines.

CONTAINERS=() # the current fleet's containers
CGROUP_CPU=() # their cgroup CPU counter files ("path kind")

run_container() { # name image [docker run args...]
  local name="$1" image="$2"; shift 2
  $DOCKER run -d --name "$name" --label "$LABEL=$$" \
    --cap-add NET_ADMIN --cap-add LINUX_IMMUTABLE --cap-add SYS_ADMIN --security-opt systempaths=unconfined \
    -e AUTHORIZED_KEY="$AUTHORIZED_KEY" "$@" "$image" >/dev/null
}

container_ip() { $DOCKER inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$1" | awk '{ print $1 }'; }

# The container's CPU counter as the host's cgroup file system holds it (reading it costs the container nothing).
find_cgroup_cpu() {
  local id f
  id=$($DOCKER inspect -f '{{.Id}}' "$1")
  for f in "/sys/fs/cgroup/cpuacct/docker/$id/cpuacct.usage" "/sys/fs/cgroup/cpu,cpuacct/docker/$id/cpuacct.usage"; do
    [ -r "$f" ] && { echo "$f ns"; return; }
  done
  for f in "/sys/fs/cgroup/system.slice/docker-$id.scope/cpu.stat" "/sys/fs/cgroup/docker/$id/cpu.stat"; do
    [ -r "$f" ] && { echo "$f usec"; return; }
  done
  echo "- none"
}

fleet_cpu_ns() { # sum over the current fleet's containers, or -1 when a cgroup file was not found
  local entry f kind total=0 v
  for entry in "${CGROUP_CPU[@]}"; do
    f="${entry% *}"; kind="${entry##* }"
    case "$kind" in
      ns) v=$(cat "$f") ;;
      usec) v=$(( $(awk '$1 == "usage_usec" { print $2 }' "$f") * 1000 )) ;;
      *) echo -1; return ;;
    esac
    total=$((total + v))
  done
  echo "$total"
}

remove_fleet() {
  [ "${#CONTAINERS[@]}" -eq 0 ] || $DOCKER rm -f "${CONTAINERS[@]}" >/dev/null 2>&1 || true
  CONTAINERS=(); CGROUP_CPU=()
  close_control_masters
}

wait_for_log() { # container pattern seconds
  local deadline=$((SECONDS + $3))
  until $DOCKER logs "$1" 2>&1 | grep -q "$2"; do
    if [ "$SECONDS" -ge "$deadline" ] || [ "$($DOCKER inspect -f '{{.State.Running}}' "$1")" != true ]; then
      echo "bench: container $1 not ready ('$2' not in its log after $3 s):" >&2
      $DOCKER logs "$1" 2>&1 | tail -20 >&2; exit 1
    fi
    sleep 0.2
  done
}

# TEN_HOSTS fresh bench-target containers; writes $1 (the hosts file).
start_ten_fleet() {
  local hosts="$1" i name ip key
  remove_fleet
  for i in $(seq -w 1 "$TEN_HOSTS"); do
    name="rb$$-t$i"
    run_container "$name" reconciler/bench-target:1
    CONTAINERS+=("$name")
  done
  : >"$hosts"
  for name in "${CONTAINERS[@]}"; do
    wait_for_log "$name" "Server listening" 60
    key=$($DOCKER exec "$name" cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub)
    ip=$(container_ip "$name")
    printf '%s %s 22 %s\n' "t${name##*-t}" "$ip" "$key" >>"$hosts"
    CGROUP_CPU+=("$(find_cgroup_cpu "$name")")
  done
}

# ceil(FLEET_HOSTS / PER_CONTAINER) bench-fleet containers; writes $1 (the hosts file).
start_large_fleet() {
  local hosts="$1" left="$FLEET_HOSTS" c=0 count name ip port key n=0
  remove_fleet
  while [ "$left" -gt 0 ]; do
    c=$((c + 1)); count=$((left < PER_CONTAINER ? left : PER_CONTAINER)); left=$((left - count))
    name="rb$$-f$c"
    run_container "$name" reconciler/bench-fleet:1 -e COUNT="$count"
    CONTAINERS+=("$name")
  done
  : >"$hosts"
  for name in "${CONTAINERS[@]}"; do
    wait_for_log "$name" "sshd listening" 300
    ip=$(container_ip "$name")
    while read -r port key; do
      n=$((n + 1))
      printf 'h%04d %s %s %s\n' "$n" "$ip" "$port" "$key" >>"$hosts"
    done < <($DOCKER exec "$name" cat /run/bench-keys)
    CGROUP_CPU+=("$(find_cgroup_cpu "$name")")
  done
}

# FLEET_CONVERGE=copy: reconciler applies to the first simulated host of each container (which also sets that
# container's live sysctls, shared by its hosts), then every other host of the container gets a copy of that host's
# private directories (managed files, persisted sysctls, reconciler state). An apply of every host measures mostly
# the hosts' shared cores (half an hour for 1,000 on 2 cores), and no target is about it. converge_by_copy HOSTS DIR
converge_by_copy() {
  local hosts="$1" dir="$2" firsts name ip port
  firsts=$(awk '!seen[$2]++ { print $1 }' "$hosts" | paste -sd, -)
  log "large fleet: converging $firsts with reconciler apply, then copying their state to the other hosts of each container"
  CMD=("$RECONCILER" apply --specs "$dir/specs" --parallel 8 --yes --hosts "$firsts")
  "${CMD[@]}" >"$WORK/logs/converge-fleet.log" 2>&1 || { note "converging $firsts failed: $(grep -m1 '^Apply:' "$WORK/logs/converge-fleet.log")"; return 0; }
  for name in "${CONTAINERS[@]}"; do
    ip=$(container_ip "$name")
    port=$(awk -v ip="$ip" '$2 == ip { print $3; exit }' "$hosts")
    # shellcheck disable=SC2016 # expanded in the container
    $DOCKER exec "$name" sh -c 'for d in /srv/hosts/*; do [ "$d" = "/srv/hosts/$1" ] && continue
      for sub in bench sysctl.d reconciler; do cp -a "/srv/hosts/$1/$sub/." "$d/$sub/"; done; done' sh "$port"
  done
  note "the large fleet was converged by an apply to $firsts (one host per container) and a copy of their state to the others (FLEET_CONVERGE=copy)"
}

# From a hosts file: DIR/specs (inventory + resources), DIR/known_hosts, DIR/inventory.ini, DIR/floor.args; the
# known_hosts is also the one ansible.cfg names (known_hosts.current).
write_fleet_files() {
  local hosts="$1" dir="$2" name ip port key
  rm -rf "$dir"; mkdir -p "$dir/specs"
  {
    echo "kind: inventory"
    echo "defaults: { user: root, identity_file: $WORK/id }"
    echo "hosts:"
    while read -r name ip port key; do
      printf '  %s: { address: %s, port: %s, host_key: "%s" }\n' "$name" "$ip" "$port" "$key"
    done <"$hosts"
  } >"$dir/specs/inventory.yaml"
  cp "$WORK/resources.yaml" "$dir/specs/bench.yaml"
  awk '{ print ($3 == 22 ? $2 : "[" $2 "]:" $3), $4, $5 }' "$hosts" >"$dir/known_hosts"
  {
    echo "[all]"
    awk '{ print $1, "ansible_host=" $2, "ansible_port=" $3 }' "$hosts"
    echo "[all:vars]"
    echo "ansible_user=root"
    echo "ansible_ssh_private_key_file=$WORK/id"
  } >"$dir/inventory.ini"
  awk '{ print "-p", $3, "root@" $2, "true" }' "$hosts" >"$dir/floor.args"
  cp "$dir/known_hosts" "$WORK/known_hosts.current"
}

# ---------------------------------------------------------------------------------------------------------------
# Commands and their measurement.

# Each sets CMD to a command line (not a shell function: /usr/bin/time runs it, and nothing else runs with it).
reconciler_argv() { # dir verb [args...]
  local dir="$1" verb="$2"; shift 2
  CMD=("$RECONCILER" "$verb" --specs "$dir/specs" --parallel "$PARALLEL" "$@")
}
floor_argv() { # dir
  CMD=(xargs -a "$1/floor.args" -P "$PARALLEL" -n 4
       ssh -F /dev/null -o BatchMode=yes -o ConnectTimeout=10 -o IdentitiesOnly=yes -i "$WORK/id"
       -o UserKnownHostsFile="$1/known_hosts" -o StrictHostKeyChecking=yes)
}
ANSIBLE_RUN=0
ansible_argv() { # dir [ansible-playbook args...]; a fresh ControlPath directory every run
  local dir="$1"; shift
  ANSIBLE_RUN=$((ANSIBLE_RUN + 1))
  mkdir -p "$WORK/cp.$ANSIBLE_RUN" "$WORK/ansible-tmp"
  CMD=(env ANSIBLE_CONFIG="$WORK/ansible.cfg" ANSIBLE_SSH_CONTROL_PATH_DIR="$WORK/cp.$ANSIBLE_RUN"
       ansible-playbook -i "$dir/inventory.ini" "$WORK/site.yml" "$@")
}

# Runs CMD under /usr/bin/time with the current fleet's CPU read before and after; appends a results line.
# measure NAME EXPECTED_RCS   (EXPECTED_RCS: e.g. "0" or "0|2")
MEASURE_SEQ=0
measure() {
  local name="$1" expected="$2"
  local timing="$WORK/time.out" logf before after rc=0 cpu
  MEASURE_SEQ=$((MEASURE_SEQ + 1))
  logf="$WORK/logs/$(printf '%03d' "$MEASURE_SEQ")-$name.log"
  mkdir -p "$WORK/logs"
  before=$(fleet_cpu_ns)
  /usr/bin/time -f '%e %M %U %S' -o "$timing" "${CMD[@]}" >"$logf" 2>&1 || rc=$?
  after=$(fleet_cpu_ns)
  cpu=$([ "$before" -ge 0 ] && echo $((after - before)) || echo -1)
  printf '%s\t%s\t%s\t%s\n' "$name" "$rc" "$(tail -n1 "$timing" | tr ' ' '\t')" "$cpu" >>"$RESULTS"
  LAST_LOG="$logf"; LAST_RC="$rc"
  if ! [[ "$rc" =~ ^($expected)$ ]]; then
    note "$name exited $rc (expected $expected); log: $logf$([ "${KEEP_WORK:-0}" = 1 ] || echo ' (KEEP_WORK=1 keeps it)')"
    sed 's/^/    /' "$logf" | tail -15 >&2
  fi
  log "$name: rc $rc, $(tail -n1 "$timing" | awk '{ printf "%.2f s, %d MB, %.2f CPU-s", $1, $2 / 1024, $3 + $4 }')"
}

# After a measured apply (LAST_RC, LAST_LOG): a host it could not reach (on a loaded machine: its connect timeout)
# would make every plan after it a plan of changes. Applies again, untimed, to the hosts that failed only and 8 at
# a time, up to 3 times, and says so under the table. finish_converging DIR WHAT
finish_converging() {
  local dir="$1" what="$2" attempt failed
  for attempt in 2 3 4; do
    [ "$LAST_RC" != 0 ] || return 0
    failed=$(grep -oE '^[A-Za-z0-9._-]+: (unreachable|error|failed)' "$LAST_LOG" | cut -d: -f1 | sort -u | paste -sd, -)
    note "$what: the converging apply (attempt $((attempt - 1))) said: $(grep -m1 '^Apply:' "$LAST_LOG" || echo "exit $LAST_RC");" \
         "applied again to ${failed:-every host}, untimed, --parallel 8"
    CMD=("$RECONCILER" apply --specs "$dir/specs" --parallel 8 --yes ${failed:+--hosts "$failed"})
    LAST_LOG="$WORK/logs/converge-$(basename "$dir")-$attempt.log"; LAST_RC=0
    "${CMD[@]}" >"$LAST_LOG" 2>&1 || LAST_RC=$?
  done
  [ "$LAST_RC" = 0 ] || note "$what is not converged after 4 applies ($(grep -m1 '^Apply:' "$LAST_LOG" || echo "exit $LAST_RC")): its plans plan changes"
}

# Ansible's recap: the sum of changed= over the hosts (0 on a converged fleet).
ansible_changed() { awk '/ changed=/ { for (i = 1; i <= NF; i++) if ($i ~ /^changed=/) { split($i, a, "="); s += a[2] } } END { print s + 0 }' "$1"; }

# ns_last_pid of a container's pid namespace (READ only): the last pid handed out, so a difference counts processes.
last_pid() { $DOCKER exec "$1" cat /proc/sys/kernel/ns_last_pid; }

# ---------------------------------------------------------------------------------------------------------------
# a. The side-by-side fleet.

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "10-host fleet: $TEN_HOSTS bench-target containers, $RUNS runs, parallel $PARALLEL"
ten="$WORK/ten"
for r in $(seq 1 "$RUNS"); do
  log "run $r/$RUNS: ansible-playbook on a fresh fleet"
  start_ten_fleet "$WORK/ten.hosts"; write_fleet_files "$WORK/ten.hosts" "$ten"
  ansible_argv "$ten"; measure ten.ansible_apply 0
  close_control_masters
  log "run $r/$RUNS: reconciler apply on a fresh fleet"
  start_ten_fleet "$WORK/ten.hosts"; write_fleet_files "$WORK/ten.hosts" "$ten"
  reconciler_argv "$ten" apply --yes; measure ten.reconciler_apply 0
done
finish_converging "$ten" "the $TEN_HOSTS-host fleet"

# The last fleet is the one reconciler converged: both tools must find nothing to change on it, or the items differ.
log "converged fleet: checking that neither tool finds a change"
reconciler_argv "$ten" plan; measure ten.check_reconciler_plan 0; plan_rc="$LAST_RC"
ansible_argv "$ten" --check --diff; measure ten.check_ansible_check 0
changed=$(ansible_changed "$LAST_LOG")
[ "$changed" = 0 ] || note "ansible --check on the converged fleet reports changed=$changed (reconciler's plan: exit $plan_rc):" \
  "$([ "$plan_rc" = 0 ] && echo 'the items are not equivalent' || echo 'the fleet is not converged')"
close_control_masters

for r in $(seq 1 "$RUNS"); do
  log "run $r/$RUNS: floor, plan, ansible --check on the converged fleet"
  floor_argv "$ten"; measure ten.floor 0
  reconciler_argv "$ten" plan; measure ten.reconciler_plan 0
  ansible_argv "$ten" --check --diff; measure ten.ansible_check 0
  close_control_masters
done

# c. Host-side cost on one host of the converged fleet: processes per item and (above) host CPU per plan.
log "host-side cost: processes of one plan of one host against one ssh true"
one="$(head -n1 "$WORK/ten.hosts" | cut -d' ' -f1)"
one_container="${CONTAINERS[0]}"
awk -v h="$one" '$1 == h' "$WORK/ten.hosts" >"$WORK/one.hosts"
write_fleet_files "$WORK/one.hosts" "$WORK/one"
cp "$ten/known_hosts" "$WORK/known_hosts.current"
PID_DELTAS_SSH=(); PID_DELTAS_PLAN=()
for r in $(seq 1 "$RUNS"); do
  floor_argv "$WORK/one"; a=$(last_pid "$one_container"); "${CMD[@]}" >/dev/null 2>&1 || note "ssh true to $one failed"
  b=$(last_pid "$one_container"); PID_DELTAS_SSH+=($((b - a)))
  reconciler_argv "$ten" plan --hosts "$one"; a=$(last_pid "$one_container"); "${CMD[@]}" >/dev/null 2>&1 || note "plan --hosts $one failed"
  b=$(last_pid "$one_container"); PID_DELTAS_PLAN+=($((b - a)))
done
remove_fleet

# ---------------------------------------------------------------------------------------------------------------
# b. The large fleet.

if [ "$FLEET_HOSTS" -gt 0 ]; then
  log "large fleet: $FLEET_HOSTS hosts in $(( (FLEET_HOSTS + PER_CONTAINER - 1) / PER_CONTAINER )) bench-fleet containers"
  fleet="$WORK/fleet"
  start_large_fleet "$WORK/fleet.hosts"; write_fleet_files "$WORK/fleet.hosts" "$fleet"
  if [ "$FLEET_CONVERGE" = apply ]; then
    log "large fleet: converging with reconciler apply (one run)"
    reconciler_argv "$fleet" apply --yes; measure fleet.reconciler_apply 0
    finish_converging "$fleet" "the large fleet"
  else
    converge_by_copy "$WORK/fleet.hosts" "$fleet"
  fi
  for r in $(seq 1 "$FLEET_RUNS"); do
    log "run $r/$FLEET_RUNS: floor and plan of $FLEET_HOSTS hosts"
    floor_argv "$fleet"; measure fleet.floor 0
    reconciler_argv "$fleet" plan; measure fleet.reconciler_plan 0
  done
  remove_fleet
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------------------------------------------------------
# The table.

# stat NAME FIELD FUNC: FIELD 3 wall, 4 RSS KB, 5 user, 6 sys, 7 host CPU ns, 8 user+sys; FUNC min|median|max
stat_of() {
  awk -F'\t' -v n="$1" -v f="$2" '$1 == n { v = (f == 8) ? $5 + $6 : $f; print v }' "$RESULTS" | sort -g |
    awk -v fn="$3" '{ a[NR] = $1 } END { if (NR == 0) { print "nan"; exit }
      if (fn == "min") print a[1]; else if (fn == "max") print a[NR]; else print a[int((NR + 1) / 2)] }'
}
median_of() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR ? a[int((NR + 1) / 2)] : "nan") }'; }
# calc EXPR FORMAT and verdict EXPR: "n/a" when a measurement is missing (nan) or the arithmetic fails.
calc() { [[ "$1" != *nan* ]] && awk "BEGIN { printf \"$2\", $1 }" 2>/dev/null || echo n/a; }
verdict() { [[ "$1" != *nan* ]] && awk "BEGIN { print ($1) ? \"PASS\" : \"FAIL\" }" 2>/dev/null || echo n/a; }

row() { # label NAME hosts
  local n="$2" hosts="$3" cpu
  [ "$(stat_of "$n" 3 median)" != nan ] || return 0
  cpu=$(stat_of "$n" 7 median)
  printf '| %s | %s/%s | %s | %s | %s | %s | %s | %s |\n' "$1" \
    "$(awk -F'\t' -v n="$n" '$1 == n && $2 == 0' "$RESULTS" | wc -l)" "$(runs_of "$n")" \
    "$(calc "$(stat_of "$n" 3 min)" %.2f)" "$(calc "$(stat_of "$n" 3 median)" %.2f)" "$(calc "$(stat_of "$n" 3 max)" %.2f)" \
    "$(calc "$(stat_of "$n" 4 max) / 1024" %.0f)" "$(calc "$(stat_of "$n" 8 median)" %.2f)" \
    "$(if [ "$cpu" = -1 ]; then echo n/a; else calc "$cpu / $hosts / 1e6" %.1f; fi)"
}
header() {
  echo "| $1 | runs exit 0 | min s | median s | max s | peak RSS MB | controller CPU s (user+sys, median) | host CPU ms per host (median) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
}
runs_of() { awk -F'\t' -v n="$1" '$1 == n' "$RESULTS" | wc -l; }

commit="$(git rev-parse --short HEAD)$( [ -z "$(git status --porcelain --untracked-files=no)" ] || echo '+uncommitted')"
version="$("$RECONCILER" --version 2>/dev/null | sed -n 1p || echo '?')"
{
  echo "### Benchmark $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit"
  echo
  echo "$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo); RUNS=$RUNS, PARALLEL=$PARALLEL" \
       "(reconciler --parallel, ansible forks, the floor's xargs -P), TEN_HOSTS=$TEN_HOSTS, FLEET_HOSTS=$FLEET_HOSTS, FLEET_RUNS=$FLEET_RUNS, FLEET_CONVERGE=$FLEET_CONVERGE" \
       "($PER_CONTAINER per container); load average before $LOAD_BEFORE, after $LOAD_AFTER."
  echo "reconciler $version ($([ -n "${RECONCILER_BIN:-}" ] && echo "RECONCILER_BIN=$RECONCILER_BIN" || echo 'published from this checkout'));" \
       "$(ansible-playbook --version 2>/dev/null | sed -n 1p | tr -d '[]'); $(ssh -V 2>&1 | cut -d, -f1); $ITEMS items per host."
  echo
  header "$TEN_HOSTS hosts, $ITEMS items each"
  row "ssh floor: ssh host true, all hosts" ten.floor "$TEN_HOSTS"
  row "reconciler plan (converged)" ten.reconciler_plan "$TEN_HOSTS"
  row "ansible-playbook --check --diff (converged)" ten.ansible_check "$TEN_HOSTS"
  row "reconciler apply --yes (fresh hosts)" ten.reconciler_apply "$TEN_HOSTS"
  row "ansible-playbook (fresh hosts)" ten.ansible_apply "$TEN_HOSTS"
  if [ "$FLEET_HOSTS" -gt 0 ]; then
    echo
    header "$FLEET_HOSTS hosts (simulated: sshd instances, at most $PER_CONTAINER per container), $ITEMS items each"
    [ "$FLEET_CONVERGE" = copy ] || row "reconciler apply --yes (fresh hosts, one run)" fleet.reconciler_apply "$FLEET_HOSTS"
    row "ssh floor: ssh host true, all hosts" fleet.floor "$FLEET_HOSTS"
    row "reconciler plan (converged)" fleet.reconciler_plan "$FLEET_HOSTS"
  fi
  echo
  echo "| Target (medians) | measured | target | result |"
  echo "|---|---:|---:|---|"
  p=$(stat_of ten.reconciler_plan 3 median); f=$(stat_of ten.floor 3 median)
  ac=$(stat_of ten.ansible_check 3 median); ra=$(stat_of ten.reconciler_apply 3 median); aa=$(stat_of ten.ansible_apply 3 median)
  echo "| $TEN_HOSTS hosts: plan / floor | $(calc "$p / $f" %.2f)× | ≤ 2× | $(verdict "$p <= 2 * $f") |"
  echo "| $TEN_HOSTS hosts: ansible --check / plan | $(calc "$ac / $p" %.1f)× | ≥ 30× | $(verdict "$ac >= 30 * $p") |"
  echo "| $TEN_HOSTS hosts: ansible apply / reconciler apply | $(calc "$aa / $ra" %.1f)× | ≥ 8× | $(verdict "$aa >= 8 * $ra") |"
  if [ "$FLEET_HOSTS" -gt 0 ]; then
    fp=$(stat_of fleet.reconciler_plan 3 median); ff=$(stat_of fleet.floor 3 median)
    rss=$(stat_of fleet.reconciler_plan 4 max)
    pc=$(stat_of fleet.reconciler_plan 8 median); fc=$(stat_of fleet.floor 8 median)
    echo "| $FLEET_HOSTS hosts: plan / floor | $(calc "$fp / $ff" %.2f)× | ≤ 1.5× | $(verdict "$fp <= 1.5 * $ff") |"
    echo "| $FLEET_HOSTS hosts: plan's peak RSS | $(calc "$rss / 1024" %.0f) MB | < 500 MB | $(verdict "$rss < 500 * 1024") |"
    echo "| $FLEET_HOSTS hosts: controller CPU per host, plan / OpenSSH clients of the floor |" \
         "$(calc "$pc / $FLEET_HOSTS * 1000" %.1f) / $(calc "$fc / $FLEET_HOSTS * 1000" %.1f) ms | ≤ 1× | $(verdict "$pc <= $fc") |"
  fi
  echo
  ps=$(median_of "${PID_DELTAS_SSH[@]}"); pp=$(median_of "${PID_DELTAS_PLAN[@]}")
  hp=$(stat_of ten.reconciler_plan 7 median); hf=$(stat_of ten.floor 7 median)
  echo "Host side ($TEN_HOSTS-host fleet): one plan of one host starts $pp processes on it, one ssh true $ps:" \
       "$(calc "($pp - $ps) / $ITEMS" %.2f) fact-script processes per item (median of $RUNS; from the container's" \
       "ns_last_pid). Host CPU per host: plan $(calc "$hp / $TEN_HOSTS / 1e6" %.1f) ms, ssh true $(calc "$hf / $TEN_HOSTS / 1e6" %.1f) ms" \
       "(the containers' cgroup CPU over the whole run, median)."
  echo
  echo "Runs exit 0: a run that did not (a host unreachable, say) is named under Notes; its time is in the table. Peak" \
       "RSS: the largest single process /usr/bin/time waited for (Ansible's forks and ssh clients are separate" \
       "processes); controller CPU: user+sys of the command and every child it waited for."
  for r in ten.reconciler_apply ten.ansible_apply ten.reconciler_plan ten.ansible_check ten.floor fleet.reconciler_apply fleet.floor fleet.reconciler_plan; do
    n=$(runs_of "$r"); want=$(case "$r" in fleet.reconciler_apply) echo 1 ;; fleet.*) echo "$FLEET_RUNS" ;; *) echo "$RUNS" ;; esac)
    { [ "$n" = 0 ] && [[ $r == fleet.* ]] && [ "$FLEET_HOSTS" = 0 ]; } ||
      { [ "$n" = 0 ] && [ "$r" = fleet.reconciler_apply ] && [ "$FLEET_CONVERGE" = copy ]; } ||
      [ "$n" = "$want" ] || note "$r: $n runs recorded, $want expected"
  done
  if [ "${#NOTES[@]}" -gt 0 ]; then
    echo; echo "Notes:"; for n in "${NOTES[@]}"; do echo "- $n"; done
  fi
} >"$WORK/table.md"

mkdir -p "$(dirname "$OUT")"
cp "$WORK/table.md" "$OUT"
cat "$WORK/table.md"
log "written to $OUT"
