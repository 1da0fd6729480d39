using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.MariaDb;

/// <summary>
/// The managed rows of one table, matched to live rows by <paramref name="PrimaryKey"/>: missing rows are inserted,
/// differing declared columns updated, and with <paramref name="Exclusive"/> live rows nobody declares deleted — all in
/// one transaction per table.
/// </summary>
public sealed record MariaDbRowsResource(
    string Database,
    string Table,
    IReadOnlyList<string> PrimaryKey,
    bool Exclusive,
    IReadOnlyList<MariaDbRow> Rows,
    SourceLocation Source) : MariaDbResource(Source)
{
    public const string KindName = "mariadb_rows";

    public override ResourceAddress Address => new(KindName, $"{Database}.{Table}");

    /// <summary>Every column some row sets, key columns first, each once (MariaDB column names ignore case).</summary>
    public IReadOnlyList<string> Columns =>
        PrimaryKey.Concat(Rows.SelectMany(r => r.Cells.Select(c => c.Column)))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

    /// <summary>A row's key values in <see cref="PrimaryKey"/> order (key values are always plain).</summary>
    public IReadOnlyList<string?> KeyOf(MariaDbRow row) => PrimaryKey.Select(k => row[k]?.Text).ToList();

    /// <summary>How plans name a row: its key value, or the values in parentheses for a composite key.</summary>
    public static string KeyText(IReadOnlyList<string?> key) =>
        key.Count == 1 ? key[0] ?? "NULL" : "(" + string.Join(", ", key.Select(k => k ?? "NULL")) + ")";
}
