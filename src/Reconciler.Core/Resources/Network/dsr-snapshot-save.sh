## The DSR kinds' commit-confirm snapshot (DsrSnapshot.Save). Placeholders, filled once by DsrSnapshot:
## @RC_DSR_LIST_LO@ (dsr-list-lo.sh) and @RC_DSR_FILE_GLOBS@ (DsrSnapshot.FileGlobs, unquoted: they are globs).
## Lines starting with ## are not sent.
(
  set -e
  rc_dsr="$RC_SNAPSHOT/dsr"
  if [ ! -e "$rc_dsr/complete" ]; then
    rm -rf -- "$rc_dsr"; mkdir -p -- "$rc_dsr/files"
    @RC_DSR_LIST_LO@ > "$rc_dsr/lo"
    for rc_c in /proc/sys/net/ipv4/conf/*; do
      printf '%s %s %s\n' "${rc_c##*/}" "$(cat "$rc_c/arp_ignore")" "$(cat "$rc_c/arp_announce")"
    done > "$rc_dsr/arp"
    : > "$rc_dsr/files.list"
    for rc_f in @RC_DSR_FILE_GLOBS@; do
      [ -f "$rc_f" ] || continue
      printf '%s\n' "$rc_f" >> "$rc_dsr/files.list"
      cp -p -- "$rc_f" "$rc_dsr/files/$(printf '%s' "$rc_f" | tr / _)"
    done
    : > "$rc_dsr/complete"
  fi
)
