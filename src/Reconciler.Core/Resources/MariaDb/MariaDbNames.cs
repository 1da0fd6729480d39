using System.Text.RegularExpressions;

namespace Reconciler.Core.Resources.MariaDb;

/// <summary>
/// What a declared name may be. The schema checks the same patterns; SQL is only ever built from names that pass here,
/// and values are never spliced into SQL at all (they travel as hex literals).
/// </summary>
public static partial class MariaDbNames
{
    /// <summary>
    /// The server's own schemas: declaring them would let a spec read or rewrite accounts and password hashes
    /// (mysql.user) or server internals, so they are never managed.
    /// </summary>
    public static readonly IReadOnlySet<string> SystemSchemas =
        new HashSet<string>(["mysql", "information_schema", "performance_schema", "sys"], StringComparer.OrdinalIgnoreCase);

    public static bool IsSystemSchema(string database) => SystemSchemas.Contains(database);

    /// <summary>Databases, tables, columns, user names, character sets and collations.</summary>
    public static bool IsIdentifier(string name) => Identifier().IsMatch(name);

    /// <summary>An account's host part: a name, an address, or a pattern with % and _ (e.g. <c>10.0.0.%</c>).</summary>
    public static bool IsAccountHost(string host) => AccountHost().IsMatch(host);

    /// <summary>A column definition as CREATE TABLE takes it, one line, without the characters that could end the statement.</summary>
    public static bool IsColumnDefinition(string definition) => ColumnDefinition().IsMatch(definition);

    // The schema carries these patterns with '$' for '\z' (a test compares them): one grammar, two readers.
    public const string IdentifierPattern = "^[A-Za-z0-9_]{1,64}\\z";
    public const string AccountHostPattern = "^[A-Za-z0-9_.%:-]{1,255}\\z";
    public const string ColumnDefinitionPattern = "^[^;`\\\\\\r\\n]*[^;`\\\\\\s][^;`\\\\\\r\\n]*\\z";

    [GeneratedRegex(IdentifierPattern)]
    private static partial Regex Identifier();

    [GeneratedRegex(AccountHostPattern)]
    private static partial Regex AccountHost();

    [GeneratedRegex(ColumnDefinitionPattern)]
    private static partial Regex ColumnDefinition();
}
