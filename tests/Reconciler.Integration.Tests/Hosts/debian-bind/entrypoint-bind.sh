#!/bin/sh
# Idles until stopped: the caller has rc-zone write named's configuration and start (and stop, and start again)
# named when it says so, so PID 1 must not be named. A sleep in the background keeps the shell able to take SIGTERM
# at once (a shell waiting on a foreground command only runs its trap after that command ends).
trap 'exit 0' TERM INT
while :; do
  sleep 3600 &
  wait $!
done
