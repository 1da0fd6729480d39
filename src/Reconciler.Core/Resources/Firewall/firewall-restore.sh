## The firewall's commit-confirm restore (FirewallShell.Restore, after firewall-destroy.sh). Runs detached.
## Lines starting with ## are not sent.
rc_fw_snap="$RC_SNAPSHOT/firewall"
rc_fw_rc=0
if command -v ipset >/dev/null 2>&1 && [ -f "$rc_fw_snap/ipset-names" ]; then
  while IFS= read -r rc_fw_n; do
    rc_fw_t=$(printf 'rcr-%s' "${rc_fw_n#rc-}" | cut -c1-31)
    ipset -q destroy "$rc_fw_t"
    awk -v n="$rc_fw_n" -v t="$rc_fw_t" '($1 == "create" || $1 == "add") && $2 == n { $2 = t; print }' "$rc_fw_snap/ipsets" \
      | ipset restore -exist || { rc_fw_rc=1; continue; }
    if ipset -q list -n "$rc_fw_n" >/dev/null; then
      ipset swap "$rc_fw_t" "$rc_fw_n" && ipset destroy "$rc_fw_t" || rc_fw_rc=1
    else
      ipset rename "$rc_fw_t" "$rc_fw_n" || rc_fw_rc=1
    fi
  done < "$rc_fw_snap/ipset-names"
fi
# A snapshot without a filter table (a fresh host: nf_tables had none yet) restores an empty one, which is
# what removes a chain and jump created since; restoring only the saved tables would leave them in place.
for rc_fw_v in 4 6; do
  rc_fw_tool=iptables; [ "$rc_fw_v" = 6 ] && rc_fw_tool=ip6tables
  { cat "$rc_fw_snap/rules.v$rc_fw_v"
    grep -q '^\*filter' "$rc_fw_snap/rules.v$rc_fw_v" || printf '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n'
  } | "$rc_fw_tool-restore" -w 5 || rc_fw_rc=1
done
if command -v ipset >/dev/null 2>&1; then
  for rc_fw_n in $(ipset list -n | grep '^rc-'); do
    grep -qxF -- "$rc_fw_n" "$rc_fw_snap/ipset-names" || rc_fw_destroy "$rc_fw_n" || rc_fw_rc=1
  done
fi
for rc_fw_f in rules.v4 rules.v6 ipsets; do
  if [ -f "$rc_fw_snap/persisted.$rc_fw_f" ]; then cp -p "$rc_fw_snap/persisted.$rc_fw_f" "/etc/iptables/$rc_fw_f" || rc_fw_rc=1
  else rm -f "/etc/iptables/$rc_fw_f"; fi
done
[ "$rc_fw_rc" -eq 0 ]
