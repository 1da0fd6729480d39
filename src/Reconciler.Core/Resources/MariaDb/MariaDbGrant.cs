namespace Reconciler.Core.Resources.MariaDb;

/// <summary>
/// The privileges a user holds on one object: a whole database (<paramref name="Table"/> is null, <c>db.*</c>) or one
/// table (<c>db.table</c>). Exactly these: privileges on the object that are not listed are revoked.
/// </summary>
public sealed record MariaDbGrant(string Database, string? Table, IReadOnlyList<string> Privileges)
{
    /// <summary>As a grant names it: <c>db.*</c> or <c>db.table</c>.</summary>
    public string On => $"{Database}.{Table ?? "*"}";

    /// <summary>Reads <c>db.*</c> or <c>db.table</c>; null when it is neither.</summary>
    public static (string Database, string? Table)? ParseOn(string on)
    {
        var dot = on.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == on.Length - 1)
        {
            return null;
        }

        var (database, table) = (on[..dot], on[(dot + 1)..]);
        return !MariaDbNames.IsIdentifier(database) ? null
            : table == "*" ? (database, null)
            : MariaDbNames.IsIdentifier(table) ? (database, table)
            : null;
    }
}
