namespace Reconciler.Core.Resources.MariaDb;

/// <summary>
/// The MariaDB objects maintainers let specs manage on one host, as the inventory lists them: <c>db.*</c> (the database
/// and every table in it) or <c>db.table</c> (that table only). Whoever writes a spec chooses which tables a plan reads
/// and which rows apply deletes, so a spec may name only what this list holds: databases, tables, rows and the objects
/// of grants. Names compare exactly, as MariaDB on Linux compares database and table names.
/// </summary>
public sealed record MariaDbScope(IReadOnlyList<string> Entries)
{
    public static readonly MariaDbScope Nothing = new([]);

    /// <summary>A whole database: only <c>db.*</c> allows declaring (or granting on) the database itself.</summary>
    public bool AllowsDatabase(string database) => Entries.Contains($"{database}.*", StringComparer.Ordinal);

    /// <summary>A table: <c>db.*</c> or <c>db.table</c>.</summary>
    public bool AllowsTable(string database, string table) =>
        AllowsDatabase(database) || Entries.Contains($"{database}.{table}", StringComparer.Ordinal);

    /// <summary>Each object of <paramref name="resource"/> this scope does not allow, as <c>db.*</c> or <c>db.table</c>.</summary>
    public IReadOnlyList<string> Refused(MariaDbResource resource) => resource switch
    {
        MariaDbDatabaseResource d => AllowsDatabase(d.Name) ? [] : [$"{d.Name}.*"],
        MariaDbTableResource t => AllowsTable(t.Database, t.Name) ? [] : [$"{t.Database}.{t.Name}"],
        MariaDbRowsResource r => AllowsTable(r.Database, r.Table) ? [] : [$"{r.Database}.{r.Table}"],
        MariaDbUserResource u => u.Grants
            .Where(g => g.Table is null ? !AllowsDatabase(g.Database) : !AllowsTable(g.Database, g.Table))
            .Select(g => g.On)
            .ToList(),
        _ => [],
    };
}
