#!/usr/bin/env bash
# The main job on built-in sample hosts: starts the sample inventory's hosts (mail1, web1, web2, ldap1) as
# Debian containers running sshd, and the two nameservers of their mail domain example.test (ns1, a bind9 primary that
# takes the DKIM records by RFC 2136 update, and ns2, its secondary), points a copy of specs/ at them, and runs
#   validate → plan → apply → (plan → apply, until mail1 signs with its DKIM key) → plan → drift
# printing each step, shows each nameserver serving the key mail1 signs with, and sends mail1 some mail that its
# Mailgraph counts, so drift's fleet page (drift-report/fleet.html) draws real traffic next to each host's health.
# Usage: scripts/demo.sh [SPECS_DIR]   (as root; KEEP=1 leaves the containers running)
#   SPECS_DIR (or RECONCILER_DEMO_SPECS) is the sample to run, specs/ by default; the tests pass their own copy
#   (tests/sample-specs), so the demo they check never depends on what a user keeps in specs/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SPECS="${1:-${RECONCILER_DEMO_SPECS:-specs}}"
[ -f "$SPECS/inventory.yaml" ] || { echo "demo: $SPECS/inventory.yaml not found (the sample specs directory to run)" >&2; exit 1; }
DEMO="$ROOT/.demo"
DOCKER=/usr/bin/docker
HOSTS=(mail1 web1 web2 ldap1)
NAMESERVERS=(ns1 ns2)   # primary and secondary of ZONE
ZONE=example.test
# How many plan + apply rounds DKIM may take after the first apply: publish, seen on every nameserver, the switch once
# the TTL has passed, and some slack for a secondary that transfers the zone a moment late.
DKIM_ROUNDS=8
trap 'echo "demo: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

scripts/setup-docker.sh
echo "demo: building reconciler"
dotnet build src/Reconciler.Cli -c Release -v quiet -nologo
reconciler() { dotnet "$ROOT/src/Reconciler.Cli/bin/Release/net10.0/reconciler.dll" "$@"; }

cleanup() {
  if [ "${KEEP:-0}" != 1 ]; then
    $DOCKER rm -f "${HOSTS[@]/#/reconciler-demo-}" "${NAMESERVERS[@]/#/reconciler-demo-}" >/dev/null 2>&1 || true
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
  [ "$h" = ldap1 ] && image=reconciler/host-ldap:1   # Debian 12's slapd 2.5 (MDB) for specs/ldap/
  $DOCKER run -d --name "reconciler-demo-$h" --hostname "$h" \
    --cap-add NET_ADMIN --cap-add LINUX_IMMUTABLE --cap-add SYS_ADMIN --cap-add SYS_PTRACE \
    --security-opt systempaths=unconfined \
    -e AUTHORIZED_KEY="$(cat "$DEMO/id_ed25519.pub")" -p 127.0.0.1::22 \
    "$image" >/dev/null
done

# The mail domain's two nameservers: the image the DKIM tests use, configured by the same script (rc-zone) as their
# fixture. Each one's configuration names the other's bridge IP, so both run before either is configured. The TSIG key
# that lets the reconciler update the zone's DKIM records is new for every run.
for ns in "${NAMESERVERS[@]}"; do
  $DOCKER run -d --name "reconciler-demo-$ns" --hostname "$ns" reconciler/host-bind:1 >/dev/null
done
ns_ip() { $DOCKER inspect -f '{{.NetworkSettings.IPAddress}}' "reconciler-demo-$1"; }
NS1_IP=$(ns_ip ns1)
NS2_IP=$(ns_ip ns2)
TSIG_SECRET=$(head -c 32 /dev/urandom | base64)
$DOCKER exec reconciler-demo-ns1 rc-zone primary "$ZONE" "$NS1_IP" "$NS2_IP" reconciler-update "$TSIG_SECRET"
$DOCKER exec reconciler-demo-ns2 rc-zone secondary "$ZONE" "$NS2_IP" "$NS1_IP"
# The primary first: the secondary answers for the zone only once it has transferred it.
$DOCKER exec reconciler-demo-ns1 rc-zone start "$NS1_IP" "$ZONE"
$DOCKER exec reconciler-demo-ns2 rc-zone start "$NS2_IP" "$ZONE"
echo "demo: $ZONE is served by ns1.$ZONE ($NS1_IP, primary) and ns2.$ZONE ($NS2_IP, secondary)"

# Copy the sample specs and rewrite each host's address, port, identity file and pinned key
# to the container's (everything else — groups, variables, users — stays as in the sample).
cp -r "$SPECS" "$DEMO/specs"
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
  { print }' "$SPECS/inventory.yaml" > "$DEMO/specs/inventory.yaml"

# DKIM's records go to the demo's primary instead of the documentation address, with a TTL of 5 s instead of 300: the
# gate still waits a whole TTL after every nameserver serves the key before it signs, and the demo does not wait five
# minutes for it.
dkim_spec="$DEMO/specs/mail/35-dkim.yaml"
if ! grep -q 'server: 192.0.2.53 ' "$dkim_spec" || ! grep -q '^    ttl: 300$' "$dkim_spec"; then
  echo "demo: $dkim_spec no longer has the server and ttl lines the demo rewrites" >&2; exit 1
fi
sed -i -e "s/server: 192\.0\.2\.53 /server: $NS1_IP /" -e 's/^    ttl: 300$/    ttl: 5/' "$dkim_spec"

# The specs name their secrets (specs/mail: the database and mailbox passwords, the TSIG key of the DKIM updates); the
# demo makes up values and keeps them where secrets belong, outside the repository, in a file only root can read.
SECRETS="$(mktemp -d /tmp/reconciler-demo-secrets.XXXXXX)"
trap 'cleanup; rm -rf "$SECRETS"' EXIT
random() { head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
( umask 077
  for name in mail_db_password alice_password bob_password; do echo "$name=$(random)"; done > "$SECRETS/secrets.env"
  echo "dkim_tsig=$TSIG_SECRET" >> "$SECRETS/secrets.env" )
export RECONCILER_SECRETS_FILE="$SECRETS/secrets.env"

step() { printf '\n\033[1m$ reconciler %s\033[0m\n' "$*"; }
run() { step "$@"; set +e; reconciler "$@"; rc=$?; set -e; echo "(exit $rc)"; }

mail1_signs() { $DOCKER exec reconciler-demo-mail1 grep -qs "^\*@$ZONE default._domainkey.$ZONE\$" /etc/opendkim/SigningTable; }

run validate --specs "$DEMO/specs"
run plan --specs "$DEMO/specs"
run apply --yes --specs "$DEMO/specs"

# Mail over SMTP to mail1's smtpd: OK for bob, REJECTED for a mailbox that does not exist. Its Mailgraph (running since
# the apply, specs/mail/37-mailgraph.yaml) counts them from /var/log/mail.log, but only mail moves it on: it makes its
# RRDs at the minute of the first mail it sees (that minute itself is never recorded) and writes a minute's counts
# when a mail of a later minute arrives.
smtp_mail() {
  $DOCKER exec -i reconciler-demo-mail1 python3 - "$ZONE" "$1" "$2" <<'PY'
import smtplib, sys
zone, ok, rejected = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with smtplib.SMTP("127.0.0.1", 25, timeout=20) as smtp:
    for n in range(ok):
        smtp.sendmail(f"alice@{zone}", [f"bob@{zone}"], f"From: alice@{zone}\nTo: bob@{zone}\nSubject: demo traffic {n}\n\nhello\n")
    for n in range(rejected):
        try:
            smtp.sendmail(f"alice@{zone}", [f"nobody@{zone}"], "Subject: to nobody\n\nhello\n")
        except smtplib.SMTPRecipientsRefused:
            pass
PY
}
mail_rrd_last() { $DOCKER exec reconciler-demo-mail1 perl -MRRDs -e 'print RRDs::last("/var/lib/mailgraph/mailgraph.rrd") // 0' 2>/dev/null || echo 0; }
next_minute_after() { while [ $(( $(date +%s) / 60 * 60 )) -le "$1" ]; do sleep 1; done; }
smtp_mail 1 0
first_mail_at=$(date +%s)

echo
echo "demo: DKIM takes one safe step per run (key made → record published → every nameserver serves it → its TTL"
echo "      passes → signing), so plan and apply run again on mail1 until it signs (at most $DKIM_ROUNDS rounds)"
round=0
while ! mail1_signs; do
  round=$((round + 1))
  if [ "$round" -gt "$DKIM_ROUNDS" ]; then
    echo "demo: mail1 does not sign $ZONE's mail after $DKIM_ROUNDS rounds" >&2; exit 1
  fi
  run plan --specs "$DEMO/specs" --hosts mail1
  run apply --yes --specs "$DEMO/specs" --hosts mail1
  mail1_signs || sleep 2   # the TTL (5 s) counts from the run that saw every nameserver serve the key
done
run plan --specs "$DEMO/specs"

echo
echo "demo: each nameserver asked directly (no recursion) for the record, compared with the key mail1 signs with"
fingerprint() { $DOCKER exec -i reconciler-demo-mail1 sh -c 'base64 -d | openssl dgst -sha256 -binary | base64 | tr -d "="'; }
signing_key=$($DOCKER exec reconciler-demo-mail1 sh -c \
  "openssl rsa -in /etc/opendkim/keys/$ZONE/default.private -pubout -outform DER 2>/dev/null | base64 -w0")
signing_fingerprint="SHA256:$(printf %s "$signing_key" | fingerprint)"
for ns in "${NAMESERVERS[@]}"; do
  ip=$(ns_ip "$ns")
  # dig prints the record's 255-byte strings quoted; joined, they are the value the reconciler published.
  record=$($DOCKER exec reconciler-demo-ns1 dig +short +norecurse +time=2 +tries=2 "@$ip" "default._domainkey.$ZONE" TXT \
    | sed -e 's/" "//g' -e 's/^"//' -e 's/"$//')
  served="SHA256:$(printf %s "${record##*p=}" | fingerprint)"
  echo "  default._domainkey.$ZONE @ $ns.$ZONE ($ip): ${record:0:32}… $served"
  [ "$served" = "$signing_fingerprint" ] \
    || { echo "demo: $ns.$ZONE serves $served, but mail1 signs with $signing_fingerprint" >&2; exit 1; }
done
echo "  mail1 signs $ZONE's mail with selector default ($signing_fingerprint): every nameserver serves it"

# The demo's traffic, in a minute after the first mail's.
next_minute_after "$first_mail_at"
smtp_mail 3 1
traffic_at=$(date +%s)
echo "demo: mail1 received 3 mails for bob and rejected 1 for a mailbox that does not exist (Mailgraph counts them)"

# The signer at work: a mail handed to postfix on mail1 passes opendkim (non_smtpd_milters) on its way to bob's maildir.
subject="demo $(date +%s)"
$DOCKER exec reconciler-demo-mail1 sh -c "printf 'From: alice@$ZONE\nTo: bob@$ZONE\nSubject: $subject\n\nhello\n' \
  | /usr/sbin/sendmail -f alice@$ZONE bob@$ZONE"
signature=""
for _ in $(seq 1 50); do
  # The header unfolded onto one line, up to the body hash: which domain and selector signed it.
  signature=$($DOCKER exec reconciler-demo-mail1 sh -c "grep -ls 'Subject: $subject' /home/popmail/$ZONE/bob/new/* | head -n1 \
    | xargs -r awk '/^DKIM-Signature:/ { h = \$0; next } h != \"\" && /^[ \t]/ { h = h \$0; next } h != \"\" { print h; exit }'" \
    | tr -s ' \t' ' ' | sed 's/ bh=.*//')
  [ -n "$signature" ] && break; sleep 0.2
done
[ -n "$signature" ] || { echo "demo: the mail sent on mail1 did not reach bob's maildir signed within 10 s" >&2; exit 1; }
echo "demo: a mail sent on mail1 arrives signed:"
echo "  $signature"
echo
echo "demo: changing web1 by hand (sysctl, file mode, immutable flag, login.defs) to show drift"
$DOCKER exec reconciler-demo-web1 sh -c 'echo 0 > /proc/sys/net/ipv4/tcp_syncookies; chattr -i /usr/bin/top; chmod 0755 /usr/bin/top; sed -i "s/^UMASK.*/UMASK\t\t022/" /etc/login.defs'
echo "demo: stopping dovecot on mail1 by hand (the services kind sees it)"
$DOCKER exec reconciler-demo-mail1 sh -c '/etc/init.d/dovecot stop >/dev/null 2>&1'
# A mail in the next minute makes Mailgraph write the traffic's minute; File::Tail looks at the log at most once a
# minute, so the demo waits (at most 150 s) until the RRD holds it.
echo "demo: one more mail for bob in the next minute, then waiting for mail1's Mailgraph to write the traffic's minute"
next_minute_after "$traffic_at"
smtp_mail 1 0
for _ in $(seq 1 30); do
  [ "$(mail_rrd_last)" -ge $((traffic_at - traffic_at % 60)) ] && break
  sleep 5
done
run drift --specs "$DEMO/specs" --report-dir "$DEMO/drift-report"
echo "demo: the fleet page: $DEMO/drift-report/fleet.html (open it in a browser; it loads nothing from the network)"
echo
echo "demo: reports in $DEMO/drift-report; containers $( [ "${KEEP:-0}" = 1 ] && echo kept || echo removed )."
