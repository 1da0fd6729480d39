#!/bin/sh
# Starts MariaDB, Dovecot and Postfix with their init scripts (each daemonizes), then hands over to the base
# image's entrypoint (sshd in the foreground).
set -eu
/etc/init.d/mariadb start >/dev/null
/etc/init.d/dovecot start >/dev/null
postfix start
exec /usr/local/sbin/entrypoint.sh "$@"
