## dovecot_file's transaction functions (DovecotTransaction.Script adds the per-file lines with Sh.Quote). They
## use the script's rc_dc_stage, rc_dc_action, rc_dc_last and rc_dc_restore, and ServiceControl's rc_service and
## rc_capture. Lines starting with ## are not sent.
rc_dc_conf=/etc/dovecot
rc_dc_fail() { printf 'dovecot transaction: %s failed: %s\n' "$1" "$2"; exit 1; }
rc_dc_oneline() { printf '%s' "$1" | tr '\n' ' ' | sed 's/  */ /g; s/ $//'; }
# doveconf names the staged copy; the message names the live directory instead.
rc_dc_unstage() { rc_dc_oneline "$(printf '%s' "$1" | sed "s|$rc_dc_stage/conf|$rc_dc_conf|g")"; }
# rc_dc_stage_file REL OWNER:GROUP MODE < BASE64: the file written whole into the copy (a link or an old file
# there is replaced, never written through), its previous version kept in before/ for the rollback.
rc_dc_stage_file() {
  rc_dc_f=$rc_dc_stage/conf/$1
  if [ -e "$rc_dc_f" ] || [ -L "$rc_dc_f" ]; then
    mkdir -p -- "$(dirname -- "$rc_dc_stage/before/$1")"
    rc_dc_msg=$(cp -a -- "$rc_dc_f" "$rc_dc_stage/before/$1" 2>&1 && rm -f -- "$rc_dc_f" 2>&1) || rc_dc_fail "staging ($1)" "$rc_dc_msg"
  fi
  rc_dc_msg=$(base64 -d 2>&1 > "$rc_dc_f") || rc_dc_fail "staging ($1)" "$(rc_dc_unstage "$rc_dc_msg")"
  rc_dc_msg=$(chown -- "$2" "$rc_dc_f" 2>&1) || rc_dc_fail "staging ($1: chown $2)" "$(rc_dc_unstage "$rc_dc_msg")"
  rc_dc_msg=$(chmod -- "$3" "$rc_dc_f" 2>&1) || rc_dc_fail "staging ($1: chmod $3)" "$(rc_dc_unstage "$rc_dc_msg")"
}
# rc_dc_put_back REL: the previous file renamed back, or a file the transaction created removed.
rc_dc_put_back() {
  if [ -e "$rc_dc_stage/before/$1" ] || [ -L "$rc_dc_stage/before/$1" ]; then
    mv -f -- "$rc_dc_stage/before/$1" "$rc_dc_conf/$1"
  else
    rm -f -- "$rc_dc_conf/$1"
  fi
}
# What a reload cannot take: the effective protocols, listen and every service block (its listeners).
rc_dc_listeners() { doveconf -c "$1" protocols listen service 2>&1 | grep -v '^#' | cksum; }
rc_dc_alive() {
  rc_dc_base=$(doveconf -h base_dir 2>/dev/null) || rc_dc_base=/run/dovecot
  rc_dc_pid=$(cat -- "$rc_dc_base/master.pid" 2>/dev/null) || return 1
  [ -n "$rc_dc_pid" ] && kill -0 "$rc_dc_pid" 2>/dev/null
}
# rc_dc_control ACTION: through systemd or the init script; on a host with neither, dovecot's own commands.
rc_dc_control() {
  rc_service "$1" dovecot && return 0
  rc_dc_rc=$?
  [ "$rc_dc_rc" -eq 127 ] || return "$rc_dc_rc"
  case $1 in
    reload) rc_capture doveadm reload ;;
    start) rc_capture dovecot ;;
    restart) rc_capture doveadm stop; sleep 1; rc_capture dovecot ;;
    *) rc_capture doveadm "$1" ;;
  esac
}
# The last few errors dovecot logged since the transaction began (doveadm log errors), timestamps dropped.
rc_dc_new_errors() {
  doveadm log errors 2>/dev/null \
    | RC_DC_LAST=$rc_dc_last awk '{ l[n++] = $0 } $0 == ENVIRON["RC_DC_LAST"] { n = 0 } END { for (i = (n > 3 ? n - 3 : 0); i < n; i++) print l[i] }' \
    | sed 's/^[A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]* //' | tr '\n' ' ' | sed 's/ $//'
}
# rc_dc_rollback STEP MESSAGE: the previous files back, dovecot reloaded or restarted on them (started if it died).
rc_dc_rollback() {
  rc_dc_why=$(rc_dc_oneline "$2")
  rc_dc_errors=$(rc_dc_new_errors) || rc_dc_errors=
  rc_dc_restore
  rc_dc_recovery="dovecot ${rc_dc_action}ed"
  rc_dc_control "$rc_dc_action" >/dev/null 2>&1 || true
  sleep 1
  if ! rc_dc_alive; then
    if rc_dc_msg=$(rc_dc_control start); then rc_dc_recovery="dovecot started"; else rc_dc_recovery="dovecot could not be started: $(rc_dc_oneline "$rc_dc_msg")"; fi
  fi
  # Not "${rc_dc_errors:+ | dovecot's log: ...}": bash as sh (posix mode) reads that quote as an open string.
  rc_dc_log=; [ -z "$rc_dc_errors" ] || rc_dc_log=" | dovecot's log: $rc_dc_errors"
  rc_dc_fail "$1 (previous files restored, $rc_dc_recovery)" "$rc_dc_why$rc_dc_log"
}
