#!/usr/bin/env bash
# The main job on built-in sample hosts: starts the sample inventory's hosts (mail1, web1, web2) as
# Debian containers running sshd, points a copy of specs/ at them, and runs
#   validate → plan → apply → plan → drift
# printing each step. Usage: scripts/demo.sh   (as root; KEEP=1 leaves the containers running)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DEMO="$ROOT/.demo"
DOCKER=/usr/bin/docker
HOSTS=(mail1 web1 web2)
trap 'echo "demo: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

scripts/setup-docker.sh
echo "demo: building reconciler"
dotnet build src/Reconciler.Cli -c Release -v quiet -nologo
reconciler() { dotnet "$ROOT/src/Reconciler.Cli/bin/Release/net10.0/reconciler.dll" "$@"; }

cleanup() {
  if [ "${KEEP:-0}" != 1 ]; then
    $DOCKER rm -f "${HOSTS[@]/#/reconciler-demo-}" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
cleanup

rm -rf "$DEMO" && mkdir -p "$DEMO"
ssh-keygen -t ed25519 -N "" -q -f "$DEMO/id_ed25519" -C reconciler-demo

# Start the hosts: the same image the container tests use. Capabilities instead of --privileged;
# /proc/sys must be writable for net.* sysctls (private to each container's network namespace).
for h in "${HOSTS[@]}"; do
  image=reconciler/host-debian:1
  [ "$h" = mail1 ] && image=reconciler/host-mail:1   # stock postfix, dovecot and mariadb for specs/mail/
  $DOCKER run -d --name "reconciler-demo-$h" --hostname "$h" \
    --cap-add NET_ADMIN --cap-add LINUX_IMMUTABLE --cap-add SYS_ADMIN --cap-add SYS_PTRACE \
    --security-opt systempaths=unconfined \
    -e AUTHORIZED_KEY="$(cat "$DEMO/id_ed25519.pub")" -p 127.0.0.1::22 \
    "$image" >/dev/null
done

# Copy the sample specs and rewrite each host's address, port, identity file and pinned key
# to the container's (everything else — groups, variables, users — stays as in specs/).
cp -r specs "$DEMO/specs"
awk_args=()
for h in "${HOSTS[@]}"; do
  port=$($DOCKER port "reconciler-demo-$h" 22/tcp | head -n1 | sed 's/.*://')
  for _ in $(seq 1 50); do
    # The entrypoint creates the host key at start; until then the read fails and is retried.
    key=$($DOCKER exec "reconciler-demo-$h" sh -c 'cat /etc/ssh/ssh_host_ed25519_key.pub 2>/dev/null' | cut -d' ' -f1,2 || true)
    [ -n "$key" ] && break; sleep 0.2
  done
  [ -n "$key" ] || { echo "demo: $h did not create its host key in time" >&2; exit 1; }
  for _ in $(seq 1 50); do
    $DOCKER logs "reconciler-demo-$h" 2>&1 | grep -q "Server listening" && break; sleep 0.2
  done
  awk_args+=("$h=$port=$key")
done
awk -v hosts="${awk_args[*]}" -v keyfile="$DEMO/id_ed25519" '
  BEGIN { n = split(hosts, list, " "); for (i = 1; i <= n; i += 2) { split(list[i], a, "="); port[a[1]] = a[2]; key[a[1]] = a[3] " " list[i + 1] } }
  /^  [A-Za-z0-9_.-]+:[ \t]*$/ { name = $1; sub(":", "", name) }
  name in port && /^    address:/ { print "    address: 127.0.0.1"; print "    port: " port[name]; next }
  name in port && /^    identity_file:/ { print "    identity_file: " keyfile; next }
  name in port && /^    host_key:/ { print "    host_key: \"" key[name] "\""; next }
  { print }' specs/inventory.yaml > "$DEMO/specs/inventory.yaml"

# The specs name their secrets (specs/mail: the database and mailbox passwords); the demo makes up values and keeps
# them where secrets belong, outside the repository, in a file only root can read.
SECRETS="$(mktemp -d /tmp/reconciler-demo-secrets.XXXXXX)"
trap 'cleanup; rm -rf "$SECRETS"' EXIT
random() { head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
( umask 077; for name in mail_db_password alice_password bob_password; do echo "$name=$(random)"; done > "$SECRETS/secrets.env" )
export RECONCILER_SECRETS_FILE="$SECRETS/secrets.env"

step() { printf '\n\033[1m$ reconciler %s\033[0m\n' "$*"; }
run() { step "$@"; set +e; reconciler "$@"; rc=$?; set -e; echo "(exit $rc)"; }

run validate --specs "$DEMO/specs"
run plan --specs "$DEMO/specs"
run apply --specs "$DEMO/specs"
run plan --specs "$DEMO/specs"
echo
echo "demo: changing web1 by hand (sysctl, file mode, immutable flag, login.defs) to show drift"
$DOCKER exec reconciler-demo-web1 sh -c 'echo 0 > /proc/sys/net/ipv4/tcp_syncookies; chattr -i /usr/bin/top; chmod 0755 /usr/bin/top; sed -i "s/^UMASK.*/UMASK\t\t022/" /etc/login.defs'
echo "demo: stopping dovecot on mail1 by hand (the services kind sees it)"
$DOCKER exec reconciler-demo-mail1 sh -c '/etc/init.d/dovecot stop >/dev/null 2>&1'
run drift --specs "$DEMO/specs" --report-dir "$DEMO/drift-report"
echo
echo "demo: reports in $DEMO/drift-report; containers $( [ "${KEEP:-0}" = 1 ] && echo kept || echo removed )."
