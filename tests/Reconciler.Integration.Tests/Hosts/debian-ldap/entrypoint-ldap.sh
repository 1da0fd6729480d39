#!/bin/sh
# Starts slapd with its init script (it daemonizes; /etc/default/slapd's SLAPD_SERVICES makes it listen on
# ldap:/// and ldapi:///), waits until it answers on ldapi:///, then hands over to the base image's entrypoint
# (sshd in the foreground). Tests wait for sshd, so slapd is up by the time a test connects.
set -eu
/etc/init.d/slapd start >/dev/null
i=0
until ldapsearch -Q -Y EXTERNAL -H ldapi:/// -s base -b '' namingContexts >/dev/null 2>&1; do
  i=$((i + 1))
  if [ "$i" -ge 100 ]; then echo "entrypoint-ldap: slapd does not answer on ldapi:///" >&2; break; fi
  sleep 0.1
done
exec /usr/local/sbin/entrypoint.sh "$@"
