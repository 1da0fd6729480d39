## The ldap_db_config kind's apply (LdapDbConfigProvider): the seed's procedure for the database directories of one
## service as one guarded step — every DB_CONFIG written atomically, the service stopped, the region files (__db.*)
## removed, the service started, the regions checked to be made again (and their sizes with db_stat when the host has
## it); on any failure every DB_CONFIG is put back and the regions made again from it. What happens inside a directory
## runs as the user who controls it (rc_as, rc-path.sh): root never acts by name in a directory another user controls.
## Needs rc_write (rc-write.sh), rc_as (rc-path.sh), rc_service (service-control.sh). Carried (PathSafety.Carry), so the
## functions run by rc_as exist in the child too. Lines starting with ## are not sent.
# rc_ldbc_add UID PATH BASE64|- CACHE LG: one directory of the transaction — its DB_CONFIG resolved and judged
# (PathSafety.Rejudge), who controls it, the new content (- when only the regions are made again), and what db_stat
# must read back (cache bytes at least CACHE, log buffer exactly LG; 0 when not declared).
rc_ldbc_n=0
rc_ldbc_add() {
  case "$3" in -|*[!A-Za-z0-9+/=]*) [ "$3" = - ] || { echo "not base64: the content of $2" >&2; return 1; } ;; esac
  eval "rc_ldbc_uid_$rc_ldbc_n=\$1 rc_ldbc_p_$rc_ldbc_n=\$2 rc_ldbc_new_$rc_ldbc_n=\$3 rc_ldbc_cache_$rc_ldbc_n=\$4 rc_ldbc_lg_$rc_ldbc_n=\$5 rc_ldbc_old_$rc_ldbc_n="
  rc_ldbc_n=$((rc_ldbc_n + 1))
}
# rc_ldbc_get I: rc_ldbc_uid, rc_ldbc_p, rc_ldbc_new, rc_ldbc_cache, rc_ldbc_lg, rc_ldbc_old of directory I.
rc_ldbc_get() {
  eval "rc_ldbc_uid=\$rc_ldbc_uid_$1 rc_ldbc_p=\$rc_ldbc_p_$1 rc_ldbc_new=\$rc_ldbc_new_$1 rc_ldbc_cache=\$rc_ldbc_cache_$1 rc_ldbc_lg=\$rc_ldbc_lg_$1 rc_ldbc_old=\$rc_ldbc_old_$1"
}
# --- run by rc_as, with p=DIR/DB_CONFIG, as the user who controls DIR (or root) ---
# rc_ldbc_read_old: "x" and DB_CONFIG's content in base64 when it is a regular file, nothing when it does not exist.
rc_ldbc_read_old() {
  if [ -L "$p" ]; then echo "$p is a symbolic link since the plan; not followed, nothing changed" >&2; return 1; fi
  if [ -e "$p" ] && [ ! -f "$p" ]; then echo "$p is not a regular file; nothing changed" >&2; return 1; fi
  if [ -f "$p" ]; then printf x; timeout 10 head -c 1048576 -- "$p" | base64 -w0; fi
}
# rc_ldbc_put BASE64: DB_CONFIG written atomically (rc_write keeps an existing file's owner and mode; a new one is 0644,
# readable by the slapd that opens the directory).
rc_ldbc_put() {
  rc_ldbc_created=
  [ -e "$p" ] || rc_ldbc_created=1
  rc_write "$p" "$1" || return 1
  [ -z "$rc_ldbc_created" ] || chmod 0644 -- "$p"
}
# rc_ldbc_remove: DB_CONFIG removed (there was none before).
rc_ldbc_remove() {
  rm -f -- "$p"
}
# rc_ldbc_drop_regions: the environment's region files removed (the service is stopped).
rc_ldbc_drop_regions() {
  for rc_ldbc_r in "${p%/*}"/__db.*; do
    if [ -f "$rc_ldbc_r" ] || [ -L "$rc_ldbc_r" ]; then rm -f -- "$rc_ldbc_r" || return 1; fi
  done
}
# rc_ldbc_await: the first region file is back within 30 s of the start (slapd opens its databases as it starts).
rc_ldbc_await() {
  rc_ldbc_s=0
  while [ ! -f "${p%/*}/__db.001" ]; do
    rc_ldbc_s=$((rc_ldbc_s + 1))
    if [ "$rc_ldbc_s" -gt 30 ]; then echo "${p%/*}/__db.001 did not appear within 30 s of the start: does the service open this directory?"; return 1; fi
    sleep 1
  done
}
# rc_ldbc_bytes: db_stat's sizes ("320MB 8KB", "2MB", "0") as bytes.
rc_ldbc_bytes() {
  awk '{ t = 0; for (i = 1; i <= NF; i++) { v = $i; n = v; sub(/[A-Z]+$/, "", n); u = substr(v, length(n) + 1)
         t += n * (u == "GB" ? 1073741824 : u == "MB" ? 1048576 : u == "KB" ? 1024 : 1) } printf "%.0f\n", t }'
}
# rc_ldbc_stat TOOL CACHE LG: the regions as db_stat reads them back; fails when the cache is smaller than CACHE or the
# log buffer is not LG (0: not declared). A db_stat that cannot join the environment checks nothing, and says so.
rc_ldbc_stat() {
  rc_ldbc_d=${p%/*}
  if [ "$2" != 0 ]; then
    if ! rc_ldbc_m=$(timeout 20 "$1" -m -h "$rc_ldbc_d" 2>&1 </dev/null); then
      echo "$1 -m could not read the regions of $rc_ldbc_d; cache size not checked"
    else
      rc_ldbc_shown=$(printf '%s\n' "$rc_ldbc_m" | awk -F '\t' '$2 == "Total cache size" { print $1; exit }')
      rc_ldbc_got=$(printf '%s\n' "$rc_ldbc_shown" | rc_ldbc_bytes)
      if [ -z "$rc_ldbc_shown" ] || [ "$rc_ldbc_got" -lt "$2" ]; then
        echo "$1 -m reads a cache of ${rc_ldbc_shown:-nothing} in $rc_ldbc_d, less than the $2 bytes DB_CONFIG sets"; return 1
      fi
      echo "$rc_ldbc_d: $1 -m reads a cache of $rc_ldbc_shown ($rc_ldbc_got bytes; DB_CONFIG sets $2, Berkeley DB adds 25 % under 500 MB)"
    fi
  fi
  if [ "$3" != 0 ]; then
    if ! rc_ldbc_l=$(timeout 20 "$1" -l -h "$rc_ldbc_d" 2>&1 </dev/null); then
      echo "$1 -l could not read the regions of $rc_ldbc_d; log buffer not checked"
    else
      rc_ldbc_shown=$(printf '%s\n' "$rc_ldbc_l" | awk -F '\t' '$2 == "Log record cache size" { print $1; exit }')
      rc_ldbc_got=$(printf '%s\n' "$rc_ldbc_shown" | rc_ldbc_bytes)
      if [ "$rc_ldbc_got" != "$3" ]; then
        echo "$1 -l reads a log buffer of ${rc_ldbc_shown:-nothing} in $rc_ldbc_d, not the $3 bytes DB_CONFIG sets"; return 1
      fi
      echo "$rc_ldbc_d: $1 -l reads a log buffer of $rc_ldbc_shown"
    fi
  fi
}
# --- run as root ---
# rc_ldbc_svc ACTION SERVICE: rc_service ACTION, its output bounded when it fails; a start must leave the service running.
rc_ldbc_svc() {
  if ! rc_ldbc_so=$(rc_service "$1" "$2"); then
    echo "$1 $2 failed; its last lines:"; printf '%s\n' "$rc_ldbc_so" | tail -n 12 | cut -c1-300; return 1
  fi
  if [ "$1" = start ] && ! rc_service status "$2" >/dev/null 2>&1; then
    echo "$2 is not running after its start; its last lines:"; printf '%s\n' "$rc_ldbc_so" | tail -n 12 | cut -c1-300; return 1
  fi
}
# rc_ldbc_each FUNCTION [ARGS]: FUNCTION run by rc_as for every directory, in order; stops at the first that fails.
rc_ldbc_each() {
  rc_ldbc_i=0
  while [ "$rc_ldbc_i" -lt "$rc_ldbc_n" ]; do
    rc_ldbc_get "$rc_ldbc_i"
    rc_as "$rc_ldbc_uid" "$rc_ldbc_p" "$*" || return 1
    rc_ldbc_i=$((rc_ldbc_i + 1))
  done
}
# rc_ldbc_restore: every DB_CONFIG written so far put back as it was (removed when there was none).
rc_ldbc_restore() {
  rc_ldbc_j=0 rc_ldbc_bad=
  while [ "$rc_ldbc_j" -lt "${rc_ldbc_written:-0}" ]; do
    rc_ldbc_get "$rc_ldbc_j"
    if [ "$rc_ldbc_new" != - ]; then
      case "$rc_ldbc_old" in
        x*) rc_as "$rc_ldbc_uid" "$rc_ldbc_p" "rc_ldbc_put '${rc_ldbc_old#x}'" || rc_ldbc_bad="$rc_ldbc_bad $rc_ldbc_p" ;;
        *) rc_as "$rc_ldbc_uid" "$rc_ldbc_p" rc_ldbc_remove || rc_ldbc_bad="$rc_ldbc_bad $rc_ldbc_p" ;;
      esac
    fi
    rc_ldbc_j=$((rc_ldbc_j + 1))
  done
  if [ -n "$rc_ldbc_bad" ]; then echo "could not put back:$rc_ldbc_bad"; return 1; fi
}
# rc_ldbc_rollback SERVICE WHAT WHY: the previous DB_CONFIGs back; then, as far as the transaction got, the
# service brought back to them: after a failed stop it is only started (it may still run: its regions are never removed
# under it); once it was stopped, the regions are made again from the previous DB_CONFIG by the same stop, remove,
# start. Then the failure, bounded.
rc_ldbc_rollback() {
  rc_ldbc_back="the previous DB_CONFIG is back"
  rc_ldbc_restore || rc_ldbc_back="the previous DB_CONFIG could not be put back everywhere"
  case "$rc_ldbc_stage" in
    stopping|stopped)
      if [ "$rc_ldbc_stage" = stopped ]; then
        rc_ldbc_svc stop "$1" >/dev/null 2>&1 || true
        rc_ldbc_each rc_ldbc_drop_regions >/dev/null 2>&1 || true
      fi
      if rc_ldbc_svc start "$1" >/dev/null 2>&1; then
        rc_ldbc_back="$rc_ldbc_back and $1 runs"
      else
        rc_ldbc_back="$rc_ldbc_back, but $1 did not start again"
      fi ;;
  esac
  printf '%s failed; %s:\n%s\n' "$2" "$rc_ldbc_back" "$3" | head -n 16 | cut -c1-300
}
# rc_ldbc_run SERVICE RUNNING TOOL: the transaction over the directories added. RUNNING 0: the service is
# stopped, so only DB_CONFIG is written (back-bdb makes the regions from a DB_CONFIG newer than them at its next start,
# and a region file in use by slapadd is never removed). TOOL: db_stat to check the regions with, or - for none.
rc_ldbc_run() {
  rc_ldbc_stage=writing rc_ldbc_written=0
  while [ "$rc_ldbc_written" -lt "$rc_ldbc_n" ]; do
    rc_ldbc_get "$rc_ldbc_written"
    if [ "$rc_ldbc_new" != - ]; then
      if ! rc_ldbc_o=$(rc_as "$rc_ldbc_uid" "$rc_ldbc_p" rc_ldbc_read_old 2>&1); then
        rc_ldbc_rollback "$1" "reading the previous $rc_ldbc_p" "$rc_ldbc_o"; return 1
      fi
      eval "rc_ldbc_old_$rc_ldbc_written=\$rc_ldbc_o"
      if ! rc_ldbc_o=$(rc_as "$rc_ldbc_uid" "$rc_ldbc_p" "rc_ldbc_put '$rc_ldbc_new'" 2>&1); then
        rc_ldbc_rollback "$1" "writing $rc_ldbc_p" "$rc_ldbc_o"; return 1
      fi
    fi
    rc_ldbc_written=$((rc_ldbc_written + 1))
  done
  if [ "$2" != 1 ]; then
    echo "$1 is not running: DB_CONFIG written; its next start makes the regions from it"; return 0
  fi
  rc_ldbc_stage=stopping
  if ! rc_ldbc_o=$(rc_ldbc_svc stop "$1" 2>&1); then
    rc_ldbc_rollback "$1" "stopping $1" "$rc_ldbc_o"; return 1
  fi
  rc_ldbc_stage=stopped
  if ! rc_ldbc_o=$(rc_ldbc_each rc_ldbc_drop_regions 2>&1); then
    rc_ldbc_rollback "$1" "removing the region files (__db.*)" "$rc_ldbc_o"; return 1
  fi
  if ! rc_ldbc_o=$(rc_ldbc_svc start "$1" 2>&1); then
    rc_ldbc_rollback "$1" "starting $1 with the new DB_CONFIG" "$rc_ldbc_o"; return 1
  fi
  if ! rc_ldbc_o=$(rc_ldbc_each rc_ldbc_await 2>&1); then
    rc_ldbc_rollback "$1" "waiting for the regions" "$rc_ldbc_o"; return 1
  fi
  if [ "$3" != - ]; then
    rc_ldbc_k=0
    while [ "$rc_ldbc_k" -lt "$rc_ldbc_n" ]; do
      rc_ldbc_get "$rc_ldbc_k"
      if ! rc_ldbc_o=$(rc_as "$rc_ldbc_uid" "$rc_ldbc_p" "rc_ldbc_stat '$3' '$rc_ldbc_cache' '$rc_ldbc_lg'" 2>&1); then
        rc_ldbc_rollback "$1" "checking the new regions" "$rc_ldbc_o"; return 1
      fi
      printf '%s\n' "$rc_ldbc_o"
      rc_ldbc_k=$((rc_ldbc_k + 1))
    done
  else
    echo "no db_stat on this host: the regions were made again, their sizes not checked"
  fi
  echo "$1 restarted: the region files were removed and made again from DB_CONFIG"
}
