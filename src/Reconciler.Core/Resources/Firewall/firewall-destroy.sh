## rc_fw_destroy SET (FirewallShell.Destroy), put before firewall-persist.sh and firewall-restore.sh.
## Lines starting with ## are not sent.
rc_fw_destroy() {
  rc_fw_i=0
  until ipset -q destroy "$1"; do
    rc_fw_i=$((rc_fw_i + 1))
    if [ "$rc_fw_i" -ge 50 ]; then ipset destroy "$1"; return; fi
    sleep 0.1
  done
}
