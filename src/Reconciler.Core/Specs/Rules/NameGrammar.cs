namespace Reconciler.Core.Specs;

/// <summary>
/// The grammars of names that the schemas check and more than one kind or file uses (host, group and account names);
/// a kind's own grammars live with the kind (<c>IResourceKind.Grammars</c>). The schemas in /schemas carry these exact
/// patterns; tests compare them, so editors and the loader agree.
/// </summary>
public static class NameGrammar
{
    /// <summary>Inventory host and group names and resource targets: they become plan headings, comment sections and --hosts matches.</summary>
    public const string InventoryName = "^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$";

    /// <summary>A file's owner or group: a POSIX portable user name (at most 32 characters, Samba's trailing '$') or a numeric id.</summary>
    public const string Account = "^([A-Za-z_][A-Za-z0-9_.-]{0,31}[$]?|[0-9]{1,10})$";

    /// <summary>The SSH login user, as Debian's adduser accepts it.</summary>
    public const string SshUser = "^[a-z_][a-z0-9_-]{0,31}[$]?$";
}
