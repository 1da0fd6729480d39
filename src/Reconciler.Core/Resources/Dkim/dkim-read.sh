## The dkim kind's read (DkimFacts): the host's clock and tools, opendkim's tables, and each declared selector's key
## (its kind, mode, owner, group, public half) with the gate's records. Host-wide records: NOW, OPENSSL, OPENDKIM,
## CONF, TABLES, ST, KT; per domain (by index): REFUSED, DIR and KEY. Needs rc_chain (rc-path.sh). Lines starting with
## ## are not sent.
## Every path is judged before anything is read through it: root reads (and later writes) only where root alone controls
## every directory on the way, so a local user cannot point a read at another file, plant a table line or a "served
## since" record, or make a key root trusts. Every read is bounded in bytes and time.
printf 'NOW\t%s\n' "$(date +%s)"
if command -v openssl >/dev/null 2>&1; then printf 'OPENSSL\tyes\n'; else printf 'OPENSSL\tno\n'; fi
if [ -x /usr/sbin/opendkim ] && id -u opendkim >/dev/null 2>&1; then printf 'OPENDKIM\tyes\n'; else printf 'OPENDKIM\tno\n'; fi
# rc_dkim_why TEXT: one line of at most 300 characters, for a record's last field.
rc_dkim_why() {
  printf '%s' "$1" | head -c 300 | tr '\n\t' '  '
}
# rc_dkim_judge PATH: whether root alone controls every directory on the way to PATH (rc_chain, with no other user's
# directory on it); rc_dkim_judged says why not.
rc_dkim_judge() {
  rc_dkim_judged=
  if ! rc_chain "$1" 0; then rc_dkim_judged=$rc_chain_why; return 1; fi
  if [ -n "$rc_chain_uid" ]; then
    rc_dkim_judged="unsafe path transition: $rc_chain_user controls a directory on the way to $1"; return 1
  fi
}
# rc_dkim_file_judge PATH: as rc_dkim_judge, and PATH itself, if it is there, is a regular file of root's that only root
# may write (a table another user may edit would let them choose what root rewrites and what the plan reports signing).
rc_dkim_file_judge() {
  rc_dkim_judge "$1" || return 1
  if [ -L "$1" ]; then rc_dkim_judged="$1 is a symbolic link"; return 1; fi
  [ -e "$1" ] || return 0
  if [ ! -f "$1" ]; then rc_dkim_judged="$1 is not a regular file"; return 1; fi
  rc_dkim_st=$(stat -c '%u %a %U' -- "$1" | head -c 256)
  case "$rc_dkim_st" in
    "0 "*) ;;
    *) rc_dkim_judged="$1 belongs to ${rc_dkim_st#* * } (uid ${rc_dkim_st%% *}), not root"; return 1 ;;
  esac
  rc_dkim_mode=${rc_dkim_st#* }; rc_dkim_mode=${rc_dkim_mode%% *}
  case "$rc_dkim_mode" in
    *[!0-7]*|'') rc_dkim_judged="cannot stat $1"; return 1 ;;
  esac
  if [ $((0$rc_dkim_mode & 022)) -ne 0 ]; then rc_dkim_judged="$1 is writable by group or others (mode $rc_dkim_mode)"; return 1; fi
}
rc_dkim_tables=yes
for rc_f in /etc/opendkim/KeyTable /etc/opendkim/SigningTable /etc/opendkim/TrustedHosts /etc/opendkim.conf; do
  if ! rc_dkim_file_judge "$rc_f"; then
    [ "$rc_dkim_tables" = no ] || printf 'TABLES\t%s\n' "$(rc_dkim_why "$rc_dkim_judged")"
    rc_dkim_tables=no
    printf 'CONF\t%s\t-\n' "$rc_f"
  elif [ -f "$rc_f" ]; then
    printf 'CONF\t%s\t%s\n' "$rc_f" "$(timeout 10 head -c 1048576 -- "$rc_f" | sha256sum | cut -c1-64)"
  else
    printf 'CONF\t%s\t-\n' "$rc_f"
  fi
done
# rc_dkim_table TAG FILE: a table's first two fields per line (comments skipped), bounded in lines and length.
rc_dkim_table() {
  if [ "$rc_dkim_tables" = yes ] && [ -f "$2" ] && [ ! -L "$2" ]; then
    timeout 10 head -c 262144 -- "$2" | awk -v t="$1" 'NF >= 2 && $1 !~ /^#/ { printf "%s\t%s\t%s\n", t, substr($1, 1, 300), substr($2, 1, 600) }' | head -n 2000
  fi
}
rc_dkim_table ST /etc/opendkim/SigningTable
rc_dkim_table KT /etc/opendkim/KeyTable
# rc_dkim_word FILE: the first line of a small record file, letters and digits only, or '-'.
rc_dkim_word() {
  rc_w=-
  if [ -f "$1" ] && [ ! -L "$1" ]; then rc_w=$(timeout 10 head -c 128 -- "$1" | head -n 1 | tr -cd '0-9a-f'); fi
  printf '%s' "${rc_w:--}"
}
# rc_dkim_stat PATH: its kind, mode, owner and group, tab-separated (a link is not followed).
rc_dkim_stat() {
  if [ -L "$1" ]; then printf 'symlink\t-\t-\t-'
  elif [ -f "$1" ]; then printf 'file\t%s' "$(stat -c '%a	%U	%G' -- "$1" | head -c 256)"
  elif [ -d "$1" ]; then printf 'directory\t%s' "$(stat -c '%a	%U	%G' -- "$1" | head -c 256)"
  elif [ -e "$1" ]; then printf 'other\t-\t-\t-'
  else printf 'none\t-\t-\t-'
  fi
}
# The ways to every domain's keys and records, judged once; then each domain's own directories, one stat each.
rc_dkim_ways=
if ! rc_dkim_judge /etc/opendkim/keys/- || ! rc_dkim_judge /var/lib/reconciler/dkim/-; then rc_dkim_ways=$rc_dkim_judged; fi
# rc_dkim_judge_dir DIR: DIR itself, if it is there, is a directory (not a link) that root alone controls.
rc_dkim_judge_dir() {
  rc_dkim_judged=
  if [ -L "$1" ]; then rc_dkim_judged="$1 is a symbolic link"; return 1; fi
  [ -d "$1" ] || return 0
  rc_chain_uid='' rc_chain_user='' rc_chain_why=''
  if ! rc_chain_dir "$1" "$1/-"; then rc_dkim_judged=$rc_chain_why; return 1; fi
  if [ -n "$rc_chain_uid" ]; then rc_dkim_judged="unsafe path transition: $1 belongs to $rc_chain_user"; return 1; fi
}
# rc_dkim_dir INDEX DOMAIN: whether root alone controls the ways to the domain's keys and the gate's records, and the key
# directory. A domain whose ways another user controls is REFUSED, and nothing of it is read.
rc_dkim_dir() {
  rc_dkim_safe=yes
  if [ -n "$rc_dkim_ways" ]; then
    rc_dkim_safe=no rc_dkim_judged=$rc_dkim_ways
  elif ! rc_dkim_judge_dir "/etc/opendkim/keys/$2" || ! rc_dkim_judge_dir "/var/lib/reconciler/dkim/$2"; then
    rc_dkim_safe=no
  fi
  if [ "$rc_dkim_safe" = yes ]; then
    printf 'DIR\t%s\t%s\n' "$1" "$(rc_dkim_stat "/etc/opendkim/keys/$2")"
  else
    printf 'REFUSED\t%s\t%s\n' "$1" "$(rc_dkim_why "$rc_dkim_judged")"
    printf 'DIR\t%s\tnone\t-\t-\t-\n' "$1"
  fi
}
# rc_dkim_key INDEX DOMAIN SELECTOR (after rc_dkim_dir of its domain): the key, its public half (read through a pipe,
# bounded, under a timeout), and the gate's records of it.
rc_dkim_key() {
  rc_f="/etc/opendkim/keys/$2/$3.private"
  rc_s="/var/lib/reconciler/dkim/$2/$3"
  if [ "$rc_dkim_safe" != yes ]; then
    printf 'KEY\t%s\t%s\tnone\t-\t-\t-\t-\t-\t-\t-\n' "$1" "$3"
    return
  fi
  rc_p=-
  if [ -f "$rc_f" ] && [ ! -L "$rc_f" ]; then
    rc_p=$(timeout 10 head -c 65536 -- "$rc_f" | timeout 10 openssl pkey -pubout -outform DER 2>/dev/null | base64 -w0 | head -c 8192)
  fi
  printf 'KEY\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$3" "$(rc_dkim_stat "$rc_f")" "${rc_p:--}" \
    "$(rc_dkim_word "$rc_s.seen")" "$(rc_dkim_word "$rc_s.unsigned")" "$(rc_dkim_word "$rc_s.public")"
}
