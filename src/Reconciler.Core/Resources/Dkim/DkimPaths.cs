namespace Reconciler.Core.Resources.Dkim;

/// <summary>
/// Where the kind keeps things on the host. Keys live under /etc/opendkim/keys, every directory of which is root's
/// (not Debian's opendkim-owned /etc/dkimkeys: a directory the daemon's user owns could be swapped for a link that
/// turns root's key write into a write anywhere). The gate's records live with the reconciler's own state.
/// </summary>
public static class DkimPaths
{
    public const string ConfigFile = "/etc/opendkim.conf";
    public const string ConfigDirectory = "/etc/opendkim";
    public const string KeyTable = "/etc/opendkim/KeyTable";
    public const string SigningTable = "/etc/opendkim/SigningTable";
    public const string TrustedHosts = "/etc/opendkim/TrustedHosts";
    public const string KeyRoot = "/etc/opendkim/keys";
    public const string StateRoot = "/var/lib/reconciler/dkim";

    /// <summary>The files the kind writes whole, in the order they are written.</summary>
    public static readonly IReadOnlyList<string> ConfigFiles = [KeyTable, SigningTable, TrustedHosts, ConfigFile];

    public static string KeyDirectory(string domain) => $"{KeyRoot}/{domain}";

    public static string KeyFile(string domain, string selector) => $"{KeyRoot}/{domain}/{selector}.private";

    public static string StateDirectory(string domain) => $"{StateRoot}/{domain}";
}
