using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Firewall;

/// <summary>Shell fragments shared by the set and chain providers (the firewall-*.sh files beside this one).</summary>
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
    public static string Persist => Destroy + ShellFiles.Load("firewall-persist.sh");

    /// <summary>
    /// <c>rc_fw_destroy SET</c>: nf_tables drops a removed rule's reference to a set asynchronously, so right after
    /// the chain stops using a set, destroying it can still fail with "in use"; retry for up to five seconds.
    /// </summary>
    public static string Destroy => ShellFiles.Load("firewall-destroy.sh") + "\n";

    /// <summary>
    /// Saves into <c>$RC_SNAPSHOT/firewall</c>: both live rulesets, the <c>rc-</c> ipsets (names and contents) and the
    /// persisted files as they were, so a rollback returns the host to exactly this moment.
    /// </summary>
    public static string Snapshot => ShellFiles.Load("firewall-snapshot.sh");

    /// <summary>
    /// Restores the snapshot. It runs detached with nobody to read errors, so it carries on past a failing step and
    /// exits non-zero at the end. Order matters: saved sets first (restored rules may reference them, and each is
    /// refilled through a staging set and swapped, so it is never empty in between); then the saved rulesets, which
    /// also drop a chain that did not exist before; then <c>rc-</c> sets the snapshot did not have, now unreferenced.
    /// </summary>
    public static string Restore => Destroy + ShellFiles.Load("firewall-restore.sh");
}
