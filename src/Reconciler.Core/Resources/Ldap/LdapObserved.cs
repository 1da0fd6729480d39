namespace Reconciler.Core.Resources.Ldap;

/// <summary>One MDB database as slapd's cn=config and mdb_stat show it (or why it could not be found).</summary>
/// <param name="Attributes">olcDb* values by attribute (a withheld secret as <see cref="Withheld"/>).</param>
/// <param name="Databases">Every MDB suffix the host has, for a message when the declared one is not among them.</param>
public sealed record LdapDatabaseObserved(
    bool SlapdInstalled, string? Dn, IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes,
    string? Directory, long? MapSize, long? PageSize, long? PagesUsed, string? StatProblem, IReadOnlyList<string> Databases)
{
    public const string Withheld = "(withheld)";

    /// <summary>olcDbMaxSize when cn=config does not set it: LMDB's default map of 10 MiB.</summary>
    public const long DefaultMaxSize = 10 * 1024 * 1024;

    public long? UsedBytes => PagesUsed * PageSize;
}
