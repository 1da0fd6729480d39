#!/bin/sh
# One container, COUNT simulated hosts: sshd instances on ports FIRST_PORT.. (default 2201..), each with its own
# ed25519 host key (made here, at start, so no two containers or runs share one) and its own root state: each sshd
# runs in its own mount namespace where private directories are bound over /etc/bench, /etc/sysctl.d and
# /var/lib/reconciler, so every simulated host has its own managed files, persisted sysctls and reconciler lock.
# Live sysctls are per network namespace, so the container's instances share those.
# When all listen: /run/bench-keys holds "PORT ssh-ed25519 BASE64" per instance, and the log says so.
set -eu
COUNT="${COUNT:-250}"
FIRST_PORT="${FIRST_PORT:-2201}"

# The host image's entrypoint writes authorized_keys from $AUTHORIZED_KEY (and the container's own host keys).
/usr/local/sbin/entrypoint.sh true

rm -f /run/bench-keys /run/bench-keys.tmp
trap 'kill $(jobs -p) 2>/dev/null; exit 0' TERM INT

i=0
while [ "$i" -lt "$COUNT" ]; do
  port=$((FIRST_PORT + i))
  state="/srv/hosts/$port"
  rm -rf "$state"
  mkdir -p "$state/bench" "$state/sysctl.d" "$state/reconciler"
  cp -a /etc/bench/. "$state/bench/"
  cp -a /etc/sysctl.d/. "$state/sysctl.d/"
  ssh-keygen -q -t ed25519 -N '' -C '' -f "$state/ssh_host_ed25519_key"
  printf '%s %s\n' "$port" "$(cut -d' ' -f1,2 "$state/ssh_host_ed25519_key.pub")" >>/run/bench-keys.tmp
  # shellcheck disable=SC2016 # expanded by the inner shell, in the new namespace
  unshare --mount --propagation private sh -c '
    mount --bind "$1/bench" /etc/bench
    mount --bind "$1/sysctl.d" /etc/sysctl.d
    mount --bind "$1/reconciler" /var/lib/reconciler
    exec /usr/sbin/sshd -D -e -p "$2" -h "$1/ssh_host_ed25519_key" -o PidFile=none' sh "$state" "$port" &
  i=$((i + 1))
done

last=$((FIRST_PORT + COUNT - 1))
listening() { ss -Hltn4 | awk -v a="$FIRST_PORT" -v b="$last" '{ n = split($4, p, ":"); if (p[n] >= a && p[n] <= b) c++ } END { print c + 0 }'; }
tries=0
until [ "$(listening)" -ge "$COUNT" ]; do
  tries=$((tries + 1))
  if [ "$tries" -gt 600 ]; then echo "bench-fleet: only $(listening) of $COUNT sshd listening after 60s" >&2; exit 1; fi
  sleep 0.1
done
mv /run/bench-keys.tmp /run/bench-keys
echo "bench-fleet: $COUNT sshd listening on ports $FIRST_PORT-$last"
wait
