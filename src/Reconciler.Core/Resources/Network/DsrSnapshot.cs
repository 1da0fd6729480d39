using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Network;

/// <summary>
/// Commit-confirm fragments for the DSR kinds: the addresses on lo, every interface's arp_ignore/arp_announce and
/// the persisted files the DSR kinds write. Both DSR providers return these same fragments; the first save wins
/// (a later one would capture the ARP change already made), and restoring twice is harmless. Plain POSIX shell and
/// iproute2 only: the restore runs detached, without the apply script's function library.
/// </summary>
public static class DsrSnapshot
{
    /// <summary>Files the DSR kinds write (and the seed's ifcfg aliases); restore puts back exactly the saved set.</summary>
    public const string FileGlobs =
        "/etc/network/interfaces.d/reconciler-lo-* /etc/sysconfig/network-scripts/ifcfg-lo:* /etc/sysctl.d/zz-reconciler-dsr-arp.conf";

    /// <summary>
    /// The constants the snapshot files name as placeholders: the command that lists lo's addresses, one line per
    /// address ("family cidr scope label", label empty for IPv6, dsr-list-lo.sh), and <see cref="FileGlobs"/>.
    /// </summary>
    private static Dictionary<string, string> Constants => new(StringComparer.Ordinal)
    {
        ["RC_DSR_LIST_LO"] = ShellFiles.Load("dsr-list-lo.sh"),
        ["RC_DSR_FILE_GLOBS"] = FileGlobs,
    };

    public static string Save => ShellFiles.Fill("dsr-snapshot-save.sh", Constants);

    public static string Restore => ShellFiles.Fill("dsr-snapshot-restore.sh", Constants);
}
