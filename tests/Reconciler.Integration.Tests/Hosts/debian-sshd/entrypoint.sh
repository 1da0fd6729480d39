#!/bin/sh
# Per-container setup: fresh host keys, authorized_keys from $AUTHORIZED_KEY, then sshd in the foreground.
set -eu

ssh-keygen -A >/dev/null
mkdir -p /run/sshd
chmod 0755 /run/sshd

if [ -n "${AUTHORIZED_KEY:-}" ]; then
  for home in /root /home/deploy; do
    mkdir -p "$home/.ssh"
    printf '%s\n' "$AUTHORIZED_KEY" >"$home/.ssh/authorized_keys"
    chmod 700 "$home/.ssh"
    chmod 600 "$home/.ssh/authorized_keys"
  done
  chown -R deploy:deploy /home/deploy/.ssh
  chown -R root:root /root/.ssh
else
  echo "entrypoint: AUTHORIZED_KEY not set; no key will be able to log in" >&2
fi

if [ "$#" -gt 0 ]; then exec "$@"; fi
exec /usr/sbin/sshd -D -e
