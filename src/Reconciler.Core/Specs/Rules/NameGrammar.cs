namespace Reconciler.Core.Specs;

/// <summary>
/// The grammars of names that the schemas check (host, group, account, interface and postfix service names). The
/// schemas in /schemas carry these exact patterns; a test compares them, so editors and the loader agree.
/// </summary>
public static class NameGrammar
{
    /// <summary>Inventory host and group names and resource targets: they become plan headings, comment sections and --hosts matches.</summary>
    public const string InventoryName = "^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$";

    /// <summary>A file's owner or group: a POSIX portable user name (at most 32 characters, Samba's trailing '$') or a numeric id.</summary>
    public const string Account = "^([A-Za-z_][A-Za-z0-9_.-]{0,31}[$]?|[0-9]{1,10})$";

    /// <summary>The SSH login user, as Debian's adduser accepts it.</summary>
    public const string SshUser = "^[a-z_][a-z0-9_-]{0,31}[$]?$";

    /// <summary>A network interface as the kernel allows it (at most 15 characters, never '.' or '..'), 'all' or 'default'.</summary>
    public const string InterfaceName = "^(?!\\.\\.?$)[A-Za-z0-9_.-]{1,15}$";

    /// <summary>A master.cf service: a name or [host:]port (127.0.0.1:10025, [::1]:10025).</summary>
    public const string PostfixService = "^[A-Za-z0-9_.:\\[\\]-]{1,100}$";

    /// <summary>A master.cf command: a daemon name in daemon_directory or an absolute path.</summary>
    public const string PostfixCommand = "^[A-Za-z0-9_./-]{1,255}$";
}
