## The DSR kinds' commit-confirm restore (DsrSnapshot.Restore); placeholders as in dsr-snapshot-save.sh.
## Order matters: addresses added since go first, so no VIP is up while the old (possibly unsafe) ARP values come
## back; addresses removed since come back last, into the state they were in before. Lines starting with ## are not sent.
(
  rc_dsr="$RC_SNAPSHOT/dsr"
  [ -f "$rc_dsr/complete" ] || { echo "no DSR snapshot in $rc_dsr" >&2; exit 1; }
  rc_fail=0
  @RC_DSR_LIST_LO@ | while IFS= read -r rc_l; do
    grep -qxF -- "$rc_l" "$rc_dsr/lo" && continue
    set -- $rc_l
    ip addr del "$2" dev lo || exit 1
  done || rc_fail=1
  while read -r rc_n rc_i rc_a; do
    [ -d "/proc/sys/net/ipv4/conf/$rc_n" ] || continue
    printf '%s\n' "$rc_i" > "/proc/sys/net/ipv4/conf/$rc_n/arp_ignore" || rc_fail=1
    printf '%s\n' "$rc_a" > "/proc/sys/net/ipv4/conf/$rc_n/arp_announce" || rc_fail=1
  done < "$rc_dsr/arp"
  rc_now=$(@RC_DSR_LIST_LO@)
  while IFS= read -r rc_l; do
    printf '%s\n' "$rc_now" | grep -qxF -- "$rc_l" && continue
    set -- $rc_l
    if [ "$1" = inet ] && [ -n "${4:-}" ]; then
      ip addr add "$2" dev lo scope "$3" label "$4" || rc_fail=1
    else
      ip addr add "$2" dev lo scope "$3" || rc_fail=1
    fi
  done < "$rc_dsr/lo"
  for rc_f in @RC_DSR_FILE_GLOBS@; do
    [ -f "$rc_f" ] || continue
    grep -qxF -- "$rc_f" "$rc_dsr/files.list" || rm -f -- "$rc_f" || rc_fail=1
  done
  while IFS= read -r rc_f; do
    cp -p -- "$rc_dsr/files/$(printf '%s' "$rc_f" | tr / _)" "$rc_f" || rc_fail=1
  done < "$rc_dsr/files.list"
  exit $rc_fail
)
