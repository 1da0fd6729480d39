using System.Text.RegularExpressions;

namespace Reconciler.Core.Resources.MariaDb;

/// <summary>
/// What a declared name may be. The schema checks the same patterns; SQL is only ever built from names that pass here,
/// and values are never spliced into SQL at all (they travel as hex literals).
/// </summary>
public static partial class MariaDbNames
{
    /// <summary>Databases, tables, columns, user names, character sets and collations.</summary>
    public static bool IsIdentifier(string name) => Identifier().IsMatch(name);

    /// <summary>An account's host part: a name, an address, or a pattern with % and _ (e.g. <c>10.0.0.%</c>).</summary>
    public static bool IsAccountHost(string host) => AccountHost().IsMatch(host);

    /// <summary>A column definition as CREATE TABLE takes it, one line, without the characters that could end the statement.</summary>
    public static bool IsColumnDefinition(string definition) => ColumnDefinition().IsMatch(definition);

    [GeneratedRegex("^[A-Za-z0-9_]{1,64}$")]
    private static partial Regex Identifier();

    [GeneratedRegex("^[A-Za-z0-9_.%:-]{1,255}$")]
    private static partial Regex AccountHost();

    [GeneratedRegex("^[^;`\\\\\\r\\n]*[^;`\\\\\\s][^;`\\\\\\r\\n]*$")]
    private static partial Regex ColumnDefinition();
}
