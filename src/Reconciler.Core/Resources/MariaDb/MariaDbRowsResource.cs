using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.MariaDb;

/// <summary>
/// The managed rows of one table, matched to live rows by <paramref name="PrimaryKey"/>: missing rows are inserted,
/// differing declared columns updated, and with <paramref name="Exclusive"/> live rows nobody declares deleted — all in
/// one transaction per table. A plan shows the live value of a declared cell only for a column in
/// <see cref="PublicColumns"/> that is not secret-shaped (<see cref="MariaDbSensitivity"/>); of rows nobody declares it
/// shows only how many there are and a keyed digest of each key.
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

    /// <summary>
    /// Columns whose live values a plan may show (the spec's <c>public_columns</c>); every other column's live value is
    /// compared, never shown. Default none: whoever writes a spec chooses the rows, so showing must be asked for.
    /// </summary>
    public IReadOnlyList<string> PublicColumns { get; init; } = [];

    /// <summary>Whether the spec lists <paramref name="column"/> as public (MariaDB column names ignore case).</summary>
    public bool IsPublic(string column) => PublicColumns.Contains(column, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every column some row sets, key columns first, each once (MariaDB column names ignore case).</summary>
    public IReadOnlyList<string> Columns =>
        PrimaryKey.Concat(Rows.SelectMany(r => r.Cells.Select(c => c.Column)))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

    /// <summary>A row's key values in <see cref="PrimaryKey"/> order (key values are always plain).</summary>
    public IReadOnlyList<string?> KeyOf(MariaDbRow row) => PrimaryKey.Select(k => row[k]?.Text).ToList();

    /// <summary>A key as one comparable text: each value length-prefixed (so no value can pass for two), NULL told from "NULL".</summary>
    public static string KeyIdentity(IReadOnlyList<string?> key) => string.Concat(key.Select(v => v is null ? "N;" : $"{v.Length}:{v}"));

    /// <summary>
    /// How a plan names a row whose key it may not show (a row the spec does not declare, or a secret-shaped key):
    /// <c>#</c> and 12 hex digits of HMAC-SHA256 with the plan key (<see cref="PlanKey"/>) over the table and the key, so
    /// a plan's reader cannot test guesses of a key offline, and one key names one row in one plan.
    /// </summary>
    public string KeyDigest(IReadOnlyList<string?> key, PlanKey planKey) =>
        "#" + planKey.Hash($"mariadb row key\n{Database}.{Table}\n{KeyIdentity(key)}").Split(':')[^1][..12];

    /// <summary>How plans name a row: its key value, or the values in parentheses for a composite key.</summary>
    public static string KeyText(IReadOnlyList<string?> key) =>
        key.Count == 1 ? key[0] ?? "NULL" : "(" + string.Join(", ", key.Select(k => k ?? "NULL")) + ")";
}
