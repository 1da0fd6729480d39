## The services kind's apply functions (ServiceProvider): enable, disable, start, stop, restart, reload a service
## through the manager the read found (systemd or sysv). Each prints why it failed, bounded: a failed start or
## restart ends with the last lines of systemctl status (which holds the journal's last lines) or of the init
## script's own output. Needs rc_capture (service-control.sh). Lines starting with ## are not sent.
# rc_svc_tail: the last lines of stdin, each cut, so a failing daemon's output stays bounded in the error.
rc_svc_tail() {
  tail -n 12 | cut -c1-300
}
# rc_svc_status MANAGER NAME: why it is not running, bounded.
rc_svc_status() {
  if [ "$1" = systemd ]; then
    systemctl status --no-pager --lines=10 -- "$2.service" </dev/null 2>&1 | rc_svc_tail
  else
    printf '%s\n' "$rc_svc_out" | rc_svc_tail
  fi
}
# rc_svc_do CMD ARGS...: CMD through rc_capture; on failure its output, bounded, and its status.
rc_svc_do() {
  rc_svc_out=$(rc_capture "$@") || { rc_svc_rc=$?; printf '%s\n' "$rc_svc_out" | rc_svc_tail; return "$rc_svc_rc"; }
}
# rc_svc_enable MANAGER NAME / rc_svc_disable MANAGER NAME
rc_svc_enable() {
  if [ "$1" = systemd ]; then
    rc_svc_do systemctl enable -- "$2.service"
  else
    rc_svc_do update-rc.d "$2" defaults && rc_svc_do update-rc.d "$2" enable
  fi
}
rc_svc_disable() {
  if [ "$1" = systemd ]; then
    rc_svc_do systemctl disable -- "$2.service"
  else
    rc_svc_do update-rc.d "$2" disable
  fi
}
# rc_svc_run MANAGER ACTION NAME: start, stop, restart or reload; a start, restart or reload must leave it running.
rc_svc_run() {
  rc_svc_rc=0
  if [ "$1" = systemd ]; then
    rc_svc_out=$(rc_capture systemctl "$2" -- "$3.service") || rc_svc_rc=$?
  else
    rc_svc_out=$(rc_capture "/etc/init.d/$3" "$2") || rc_svc_rc=$?
    if [ "$rc_svc_rc" -eq 0 ] && [ "$2" != stop ]; then
      rc_capture "/etc/init.d/$3" status >/dev/null || rc_svc_rc=$?
    fi
  fi
  if [ "$rc_svc_rc" -ne 0 ]; then
    printf '%s %s failed (exit code %s); its last lines:\n' "$2" "$3" "$rc_svc_rc"
    rc_svc_status "$1" "$3"
    return 1
  fi
}
