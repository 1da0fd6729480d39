using System.Text;

namespace Reconciler.Core.Resources.MariaDb;

/// <summary>
/// SQL text from declared names and values. Names are validated and backquoted; values become <c>_utf8mb4 X'..'</c>
/// hex literals, so no value can end a string or a statement, whatever it holds.
/// </summary>
internal static class MariaDbSql
{
    /// <summary>A backquoted identifier; only names <see cref="MariaDbNames.IsIdentifier"/> accepts reach SQL.</summary>
    public static string Id(string name) => MariaDbNames.IsIdentifier(name)
        ? $"`{name}`"
        : throw new ArgumentException($"not a valid MariaDB identifier: {name}", nameof(name));

    public static string Table(string database, string table) => $"{Id(database)}.{Id(table)}";

    /// <summary>A grant's object: <c>`db`.*</c> or <c>`db`.`table`</c>.</summary>
    public static string On(MariaDbGrant grant) => grant.Table is null ? $"{Id(grant.Database)}.*" : Table(grant.Database, grant.Table);

    /// <summary>A value as a hex literal in utf8mb4 (so columns compare it with their own collation); null is NULL.</summary>
    public static string Value(string? text) =>
        text is null ? "NULL" : $"_utf8mb4 X'{Convert.ToHexString(Encoding.UTF8.GetBytes(text))}'";

    /// <summary>An account, <c>'NAME'@'HOST'</c>; both parts are validated, so they need no escaping.</summary>
    public static string Account(string user, string host) =>
        MariaDbNames.IsIdentifier(user) && MariaDbNames.IsAccountHost(host)
            ? $"'{user}'@'{host}'"
            : throw new ArgumentException($"not a valid MariaDB account: {user}@{host}", nameof(user));

    /// <summary>A privilege list as GRANT and REVOKE take it; only known privilege names reach SQL.</summary>
    public static string Privileges(IEnumerable<string> privileges) => string.Join(", ", privileges.Select(p =>
        MariaDbPrivileges.Database.Contains(p) ? p : throw new ArgumentException($"not a known privilege: {p}", nameof(privileges))));

    /// <summary>Decodes a <c>HEX()</c> field as mysql -B prints it: <c>NULL</c> is SQL NULL, anything else hex of UTF-8.</summary>
    public static string? FromHex(string field) =>
        field == "NULL" ? null : Encoding.UTF8.GetString(Convert.FromHexString(field));
}
