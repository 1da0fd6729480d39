## The ldap_db_config kind's read (LdapDbConfigFacts): run by PathSafety.Judged for each database directory's DB_CONFIG,
## as root or as the user who controls the directory, with $p the resolved path of DIR/DB_CONFIG. Records, by resource
## index: D (the directory), F (each *.bdb and __db.* file), M (DB_CONFIG's mtime), K (its last set_cachesize); and, as
## root, S (the service that opens the directory). Every command reading the directory is bounded in time and output.
## Lines starting with ## are not sent.
# rc_ldbc_facts I: the directory of $p and what is in it, as records of resource I.
#   D I missing | D I not-directory | D I directory writable|read-only LSATTR-FLAGS
#   F I NAME BYTES MTIME       a regular file *.bdb or __db.* (names of letters, digits, '.', '_', '-' only; at most 4096)
#   M I MTIME                  DB_CONFIG's modification time (epoch seconds), when it is a regular file
#   K I GBYTES BYTES NCACHE    its last set_cachesize line (numbers only; the rest of the file is read by the file facts)
rc_ldbc_facts() {
  rc_ldbc_d=${p%/*}
  if [ ! -e "$rc_ldbc_d" ] && [ ! -L "$rc_ldbc_d" ]; then printf 'D\t%s\tmissing\n' "$1"; return 0; fi
  if [ ! -d "$rc_ldbc_d" ]; then printf 'D\t%s\tnot-directory\n' "$1"; return 0; fi
  rc_ldbc_w=read-only
  if [ -w "$rc_ldbc_d" ]; then rc_ldbc_w=writable; fi
  rc_ldbc_a=$(timeout 10 lsattr -d -- "$rc_ldbc_d" 2>/dev/null | head -c 256 | cut -d' ' -f1 | tr -d '\t\n')
  printf 'D\t%s\tdirectory\t%s\t%s\n' "$1" "$rc_ldbc_w" "$rc_ldbc_a"
  timeout 10 find "$rc_ldbc_d" -mindepth 1 -maxdepth 1 -type f -regextype posix-extended \
    -regex '.*/([A-Za-z0-9._-]{1,200}\.bdb|__db\.[A-Za-z0-9._-]{1,64})' -printf '%f\t%s\t%T@\n' 2>/dev/null |
    head -n 4096 | awk -F '\t' -v i="$1" 'NF == 3 { sub(/\..*/, "", $3); printf "F\t%s\t%s\t%s\t%s\n", i, $1, $2, $3 }'
  if [ -f "$p" ] && [ ! -L "$p" ]; then
    printf 'M\t%s\t%s\n' "$1" "$(stat -c %Y -- "$p" | head -c 32)"
    timeout 10 head -c 1048576 -- "$p" | awk -v i="$1" '
      $1 == "set_cachesize" && NF >= 3 { g = $2; b = $3; n = (NF >= 4 ? $4 : 1) }
      END { if (g != "" && (g b n) ~ /^[0-9]+$/) printf "K\t%s\t%s\t%s\t%s\n", i, substr(g, 1, 20), substr(b, 1, 20), substr(n, 1, 20) }'
  fi
}
# rc_ldbc_service I NAME: whether the service NAME exists and runs, as rc_service (service-control.sh) would control it.
#   S I systemd|sysv missing|running|stopped|not-lsb|unknown
# An init script is asked its status only when its LSB header provides NAME: 'status' is not an argument every script
# in /etc/init.d heeds (the services kind's rule).
rc_ldbc_service() {
  if [ -d "${RC_SYSTEMD_RUN:-/run/systemd/system}" ] && command -v systemctl >/dev/null 2>&1; then
    rc_ldbc_show=$(timeout 20 systemctl show -p LoadState,ActiveState -- "$2.service" </dev/null 2>/dev/null | head -c 1024)
    case "$rc_ldbc_show" in
      *LoadState=not-found*) rc_ldbc_state=missing ;;
      *ActiveState=active*|*ActiveState=reloading*|*ActiveState=activating*) rc_ldbc_state=running ;;
      *LoadState=loaded*) rc_ldbc_state=stopped ;;
      *) rc_ldbc_state=unknown ;;
    esac
    printf 'S\t%s\tsystemd\t%s\n' "$1" "$rc_ldbc_state"; return 0
  fi
  rc_ldbc_init="${RC_INIT_DIR:-/etc/init.d}/$2"
  if [ ! -f "$rc_ldbc_init" ] || [ ! -x "$rc_ldbc_init" ]; then printf 'S\t%s\tsysv\tmissing\n' "$1"; return 0; fi
  if ! timeout 10 head -c 65536 -- "$rc_ldbc_init" | rc_ldbc_name="$2" awk 'BEGIN { n = ENVIRON["rc_ldbc_name"] }
       /^### BEGIN INIT INFO/ { h = 1; next } /^### END INIT INFO/ { exit }
       h && /^#[ \t]*Provides:/ { sub(/^#[ \t]*Provides:/, ""); for (i = 1; i <= NF; i++) if ($i == n) f = 1 } END { exit !f }'; then
    printf 'S\t%s\tsysv\tnot-lsb\n' "$1"; return 0
  fi
  rc_ldbc_st=0
  timeout 20 "$rc_ldbc_init" status </dev/null >/dev/null 2>&1 || rc_ldbc_st=$?
  case "$rc_ldbc_st" in
    0) rc_ldbc_state=running ;;
    1|2|3) rc_ldbc_state=stopped ;;
    *) rc_ldbc_state=unknown ;;
  esac
  printf 'S\t%s\tsysv\t%s\n' "$1" "$rc_ldbc_state"
}
