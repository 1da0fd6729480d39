## Service control for systemd and init-script hosts alike (ServiceControl.Source); rc_service's 127 is
## ServiceControl.NoManager. Lines starting with ## are not sent.
# rc_capture CMD ARGS...: run CMD with stdin from /dev/null and its output in a temp file, then print that
# output and return CMD's status. Never a pipe: a daemon started by CMD inherits the descriptors, and one that
# holds a pipe open keeps $(...) - and the SSH session around it - waiting for ever.
rc_capture() {
  rc_cap_out=$(mktemp "${TMPDIR:-/tmp}/.reconciler-capture.XXXXXX") || return 1
  rc_cap_rc=0
  "$@" </dev/null >"$rc_cap_out" 2>&1 || rc_cap_rc=$?
  cat -- "$rc_cap_out"
  rm -f -- "$rc_cap_out"
  return "$rc_cap_rc"
}
# rc_service ACTION NAME: ACTION (start, stop, restart, reload, status) the service NAME through systemctl when
# systemd runs the host (/run/systemd/system exists), else through its init script /etc/init.d/NAME. Prints
# the manager's own output and returns its status; 127 when neither knows NAME, so a caller can fall back to
# the daemon's own control command.
rc_service() {
  if [ -d "${RC_SYSTEMD_RUN:-/run/systemd/system}" ] && command -v systemctl >/dev/null 2>&1; then
    rc_capture systemctl "$1" "$2.service"
  elif [ -x "${RC_INIT_DIR:-/etc/init.d}/$2" ]; then
    rc_capture "${RC_INIT_DIR:-/etc/init.d}/$2" "$1"
  else
    printf 'no systemd and no init script %s\n' "${RC_INIT_DIR:-/etc/init.d}/$2"
    return 127
  fi
}
