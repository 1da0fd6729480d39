#!/bin/sh
# Idles until stopped: named is started (and stopped, and started again) by the test fixture once it has written
# the configuration, so PID 1 must not be named. A sleep in the background keeps the shell able to take SIGTERM
# at once (a shell waiting on a foreground command only runs its trap after that command ends).
trap 'exit 0' TERM INT
while :; do
  sleep 3600 &
  wait $!
done
