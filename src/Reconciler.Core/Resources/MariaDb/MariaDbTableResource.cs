using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.MariaDb;

/// <summary>
/// A table: created with the declared columns and primary key when missing; declared columns it lacks are added
/// (ALTER TABLE ADD). Types of existing columns are not compared, the primary key is set only at creation, and
/// columns nobody declares are left alone.
/// </summary>
public sealed record MariaDbTableResource(
    string Database,
    string Name,
    IReadOnlyList<MariaDbColumn> Columns,
    IReadOnlyList<string> PrimaryKey,
    SourceLocation Source) : MariaDbResource(Source)
{
    public const string KindName = "mariadb_table";

    public override ResourceAddress Address => new(KindName, $"{Database}.{Name}");
}
