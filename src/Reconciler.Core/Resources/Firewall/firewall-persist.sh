## rc_fw_persist (FirewallShell.Persist; rc_fw_destroy and rc_commit come from the script around it).
## Lines starting with ## are not sent.
rc_fw_save() {
  rc_fw_path=$1; shift
  rc_fw_tmp=$(mktemp /etc/iptables/.reconciler.XXXXXX) || return 1
  if "$@" > "$rc_fw_tmp" && chmod 0640 "$rc_fw_tmp" && rc_commit "$rc_fw_tmp" "$rc_fw_path"; then return 0; fi
  rm -f -- "$rc_fw_tmp"; return 1
}
rc_fw_persist() {
  mkdir -p /etc/iptables
  rc_fw_save /etc/iptables/rules.v4 iptables-save
  rc_fw_save /etc/iptables/rules.v6 ip6tables-save
  if command -v ipset >/dev/null 2>&1; then rc_fw_save /etc/iptables/ipsets ipset save; fi
}
