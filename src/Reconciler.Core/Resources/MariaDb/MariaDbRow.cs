using Reconciler.Core.Diagnostics;

namespace Reconciler.Core.Resources.MariaDb;

/// <summary>One declared row: the values of the columns it lists (others are left as they are, or default on insert).</summary>
public sealed record MariaDbRow(IReadOnlyList<MariaDbCell> Cells, SourceLocation Source)
{
    public MariaDbValue? this[string column] =>
        Cells.FirstOrDefault(c => string.Equals(c.Column, column, StringComparison.OrdinalIgnoreCase))?.Value;
}
