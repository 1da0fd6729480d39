using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Resources.MariaDb;

namespace Reconciler.Specs.Inventory;

/// <summary>
/// Refuses MariaDB declarations outside what the maintainers' inventory lists for each host (<see cref="MariaDbScope"/>):
/// a database, a table (and so its rows), an account (a user, whatever its grants), or a grant's object. A function of the trusted inventory and the assembled
/// hosts only, so the plan job can pass the base branch's inventory while the hosts come from the pull request's.
/// </summary>
internal static class MariaDbScopeCheck
{
    public static IReadOnlyList<Diagnostic> Check(HostInventory trusted, IReadOnlyList<HostDesiredState> hosts)
    {
        var refusals = new Dictionary<(SourceLocation At, string Address, string Object), List<string>>();
        foreach (var host in hosts)
        {
            var scope = trusted.MariaDbScopeFor(host.Host.Name);
            var tables = host.Resources.OfType<MariaDbTableResource>().Select(t => (t.Database, t.Name)).ToHashSet();
            foreach (var resource in host.Resources.OfType<MariaDbResource>())
            {
                // A table's rows come with the table's own declaration: one error for the table is enough.
                if (resource is MariaDbRowsResource rows && tables.Contains((rows.Database, rows.Table)))
                {
                    continue;
                }

                foreach (var refused in scope.Refused(resource))
                {
                    var key = (resource.Source, resource.Address.ToString(), refused);
                    (refusals.TryGetValue(key, out var list) ? list : refusals[key] = []).Add(host.Host.Name);
                }
            }
        }

        return refusals.Select(r => Diagnostic.Error(
                DiagnosticCodes.NotInInventoryScope,
                $"{r.Key.Address}: {r.Key.Object} is not in mariadb.manage of the inventory ({trusted.DisplayPath}) for " +
                $"{DesiredStateAssembler.HostList(r.Value.Select(h => hosts.First(s => s.Host.Name == h).Host).ToList())}; " +
                "only maintainers widen what specs may manage in MariaDB",
                r.Key.At))
            .ToList();
    }
}
