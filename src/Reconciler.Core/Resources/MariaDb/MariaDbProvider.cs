using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.MariaDb;

/// <summary>
/// Databases, users with grants, tables and rows (mariadb_database, mariadb_user, mariadb_table, mariadb_rows), through
/// the host's mysql client as root over the unix socket. One provider for all four: every fact comes from one client
/// invocation, and each object can tell whether what it needs is declared too (a table's database, a grant's table).
/// Apply order is declaration order; the spec reader emits databases, tables, users, then rows.
/// </summary>
public sealed partial class MariaDbProvider : ResourceProvider<MariaDbResource, MariaDbObserved>
{
    public override string Kind => "mariadb";

    protected override string ReadScript(IReadOnlyList<MariaDbResource> resources) =>
        MariaDbShell.Read(MariaDbReadSql.Build(resources));

    /// <summary>Without the run's plan key (tests, previews): digests then only compare within this process.</summary>
    protected override ResourceChange Diff(MariaDbResource desired, MariaDbObserved observed) => Diff(desired, observed, PlanKey.Ephemeral);

    protected override ResourceChange Diff(MariaDbResource desired, MariaDbObserved observed, PlanKey key)
    {
        if (observed.Blocked is { } reason)
        {
            return ResourceChange.Blocked(desired, reason);
        }

        return (desired, observed) switch
        {
            (MariaDbDatabaseResource d, MariaDbDatabaseObserved o) => DiffDatabase(d, o),
            (MariaDbUserResource u, MariaDbUserObserved o) => DiffUser(u, o),
            (MariaDbTableResource t, MariaDbTableObserved o) => DiffTable(t, o),
            (MariaDbRowsResource r, MariaDbRowsObserved o) => DiffRows(r, o, key),
            _ => throw new ArgumentException($"{observed.GetType().Name} does not describe {desired.Address}", nameof(observed)),
        };
    }

    protected override string ApplyScript(MariaDbResource desired, MariaDbObserved observed, ResourceChange change) =>
        (desired, observed) switch
        {
            (MariaDbDatabaseResource d, MariaDbDatabaseObserved o) => MariaDbShell.Apply(DatabaseSql(d, o), $"{d.Address} failed"),
            (MariaDbUserResource u, MariaDbUserObserved o) => MariaDbShell.Apply(UserSql(u, o), $"{u.Address} failed"),
            (MariaDbTableResource t, MariaDbTableObserved o) => MariaDbShell.Apply(TableSql(t, o), $"{t.Address} failed"),
            (MariaDbRowsResource r, MariaDbRowsObserved o) => MariaDbShell.Apply(RowsSql(r, o), $"{r.Address} failed, transaction rolled back, no row changed"),
            _ => throw new ArgumentException($"{observed.GetType().Name} does not describe {desired.Address}", nameof(observed)),
        };
}
