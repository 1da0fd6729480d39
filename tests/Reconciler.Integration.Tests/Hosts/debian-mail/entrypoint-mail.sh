#!/bin/sh
# Starts postfix (it daemonizes under its master), then hands over to the base image's entrypoint (sshd in the foreground).
set -eu
postfix start
exec /usr/local/sbin/entrypoint.sh "$@"
