## The firewall's commit-confirm snapshot into $RC_SNAPSHOT/firewall (FirewallShell.Snapshot).
## Lines starting with ## are not sent.
rc_fw_snap="$RC_SNAPSHOT/firewall"
mkdir -p "$rc_fw_snap"
iptables-save > "$rc_fw_snap/rules.v4"
ip6tables-save > "$rc_fw_snap/rules.v6"
: > "$rc_fw_snap/ipset-names"; : > "$rc_fw_snap/ipsets"
if command -v ipset >/dev/null 2>&1; then
  ipset list -n | grep '^rc-' > "$rc_fw_snap/ipset-names" || true
  while IFS= read -r rc_fw_n; do ipset save "$rc_fw_n"; done < "$rc_fw_snap/ipset-names" > "$rc_fw_snap/ipsets"
fi
for rc_fw_f in rules.v4 rules.v6 ipsets; do
  if [ -f "/etc/iptables/$rc_fw_f" ]; then cp -p "/etc/iptables/$rc_fw_f" "$rc_fw_snap/persisted.$rc_fw_f"; fi
done
