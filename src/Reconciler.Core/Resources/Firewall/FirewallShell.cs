namespace Reconciler.Core.Resources.Firewall;

/// <summary>Shell fragments shared by the set and chain providers.</summary>
public static class FirewallShell
{
    /// <summary>Whether Debian's boot-time loader is there; without it the rules files are written but nothing reads them.</summary>
    public const string PersistenceCheck = "if [ -x /usr/sbin/netfilter-persistent ]; then printf 'NP\\n'; fi";

    public const string NoPersistenceNote =
        "netfilter-persistent is not installed: /etc/iptables is written, but nothing restores it at boot (apt-get install iptables-persistent ipset-persistent)";

    /// <summary>
    /// <c>rc_fw_persist</c>: what <c>netfilter-persistent save</c> does — the live rulesets and every ipset into
    /// /etc/iptables — but each file written atomically (temp file + rename, via rc_commit), mode 0640 like the
    /// package's own plugins, so a reboot in the middle never finds a half-written ruleset.
    /// </summary>
    public const string Persist = Destroy + """
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
        """;

    /// <summary>
    /// <c>rc_fw_destroy SET</c>: nf_tables drops a removed rule's reference to a set asynchronously, so right after
    /// the chain stops using a set, destroying it can still fail with "in use"; retry for up to five seconds.
    /// </summary>
    public const string Destroy = """
        rc_fw_destroy() {
          rc_fw_i=0
          until ipset -q destroy "$1"; do
            rc_fw_i=$((rc_fw_i + 1))
            if [ "$rc_fw_i" -ge 50 ]; then ipset destroy "$1"; return; fi
            sleep 0.1
          done
        }

        """;

    /// <summary>
    /// Saves into <c>$RC_SNAPSHOT/firewall</c>: both live rulesets, the <c>rc-</c> ipsets (names and contents) and the
    /// persisted files as they were, so a rollback returns the host to exactly this moment.
    /// </summary>
    public const string Snapshot = """
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
        """;

    /// <summary>
    /// Restores the snapshot. It runs detached with nobody to read errors, so it carries on past a failing step and
    /// exits non-zero at the end. Order matters: saved sets first (restored rules may reference them, and each is
    /// refilled through a staging set and swapped, so it is never empty in between); then the saved rulesets, which
    /// also drop a chain that did not exist before; then <c>rc-</c> sets the snapshot did not have, now unreferenced.
    /// </summary>
    public const string Restore = Destroy + """
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
        """;
}
