namespace Reconciler.Core.Resources.MariaDb;

/// <summary>The privileges a grant on <c>db.*</c> or <c>db.table</c> may declare, in the order plans list them.</summary>
public static class MariaDbPrivileges
{
    /// <summary>Privileges MariaDB grants on a whole database (<c>db.*</c>), as information_schema names them.</summary>
    public static readonly IReadOnlyList<string> Database =
    [
        "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "REFERENCES", "INDEX", "ALTER",
        "CREATE TEMPORARY TABLES", "LOCK TABLES", "EXECUTE", "CREATE VIEW", "SHOW VIEW", "CREATE ROUTINE",
        "ALTER ROUTINE", "EVENT", "TRIGGER", "DELETE HISTORY",
    ];

    /// <summary>The subset MariaDB grants on one table (<c>db.table</c>).</summary>
    public static readonly IReadOnlyList<string> Table =
    [
        "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "REFERENCES", "INDEX", "ALTER",
        "CREATE VIEW", "SHOW VIEW", "TRIGGER", "DELETE HISTORY",
    ];

    /// <summary>Privileges in the canonical order above (unknown ones last, alphabetically), so equal sets print alike.</summary>
    public static IReadOnlyList<string> Ordered(IEnumerable<string> privileges) =>
        privileges.Distinct(StringComparer.Ordinal)
            .OrderBy(p => Database.IndexOf(p) is var i and >= 0 ? i : int.MaxValue)
            .ThenBy(p => p, StringComparer.Ordinal)
            .ToList();

    private static int IndexOf(this IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value) return i;
        }

        return -1;
    }
}
