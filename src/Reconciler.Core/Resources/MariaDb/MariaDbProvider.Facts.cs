using Reconciler.Core.Facts;

namespace Reconciler.Core.Resources.MariaDb;

/// <summary>From fact lines to one observation per resource; secrets are compared here and kept only as match or not.</summary>
public sealed partial class MariaDbProvider
{
    protected override IReadOnlyList<MariaDbObserved> ParseFacts(IReadOnlyList<MariaDbResource> resources, FactAnswers answers)
    {
        var lines = answers[Kind];
        var facts = MariaDbFacts.Parse(lines);
        var declaredDatabases = resources.OfType<MariaDbDatabaseResource>().Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var declaredTables = resources.OfType<MariaDbTableResource>().Select(t => (t.Database, t.Name)).ToHashSet();

        string? MissingDatabase(string database) =>
            facts.Databases.ContainsKey(database) || declaredDatabases.Contains(database) ? null
                : $"database {database} does not exist and no {MariaDbDatabaseResource.KindName} declares it";

        string? MissingTable(string database, string table) =>
            facts.Columns.ContainsKey((database, table)) || declaredTables.Contains((database, table)) ? null
                : $"table {database}.{table} does not exist and no {MariaDbTableResource.KindName} declares it";

        return resources.Select<MariaDbResource, MariaDbObserved>((resource, index) =>
        {
            var unavailable = facts.Unavailable;
            switch (resource)
            {
                case MariaDbDatabaseResource d:
                    var exists = facts.Databases.TryGetValue(d.Name, out var defaults);
                    return new MariaDbDatabaseObserved(unavailable, exists, exists ? defaults.Charset : null, exists ? defaults.Collation : null);
                case MariaDbTableResource t:
                    var columns = facts.Columns.GetValueOrDefault((t.Database, t.Name));
                    return new MariaDbTableObserved(unavailable ?? (columns is null ? MissingDatabase(t.Database) : null), columns is not null, columns ?? []);
                case MariaDbUserResource u:
                    return ObserveUser(u, facts, unavailable ?? u.Grants.Select(g => g.Table is null ? MissingDatabase(g.Database) : MissingTable(g.Database, g.Table)).FirstOrDefault(p => p is not null));
                case MariaDbRowsResource r:
                    return ObserveRows(r, index, facts, unavailable ?? MissingTable(r.Database, r.Table));
                default:
                    throw new ArgumentException($"unknown MariaDB resource {resource.Address}", nameof(resources));
            }
        }).ToList();
    }

    private static MariaDbUserObserved ObserveUser(MariaDbUserResource user, MariaDbFacts facts, string? blocked)
    {
        var exists = facts.Users.TryGetValue((user.Name, user.Host), out var live);
        var matches = exists && live.Plugin == "mysql_native_password" && PasswordHashes.IsNative(live.Authentication, user.Password);
        var grants = user.Grants.Select(g => new MariaDbLiveGrant(g.On, MariaDbPrivileges.Ordered(facts.Grants
            .Where(l => l.Grantee == user.Grantee && l.Database == g.Database && l.Table == g.Table)
            .Select(l => l.Privilege)))).ToList();
        return new MariaDbUserObserved(blocked, exists, matches, grants);
    }

    private static MariaDbRowsObserved ObserveRows(MariaDbRowsResource rows, int index, MariaDbFacts facts, string? blocked)
    {
        var tableColumns = facts.Columns.GetValueOrDefault((rows.Database, rows.Table));
        if (blocked is not null || tableColumns is null)
        {
            return new MariaDbRowsObserved(blocked, false, rows.Rows.Select(_ => (MariaDbLiveRow?)null).ToList(), []);
        }

        var missingKey = rows.PrimaryKey.Where(k => !tableColumns.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        if (missingKey.Count > 0)
        {
            return new MariaDbRowsObserved(
                $"table {rows.Database}.{rows.Table} has no key column {string.Join(", ", missingKey)} to match rows by (add it, then plan again)",
                true, rows.Rows.Select(_ => (MariaDbLiveRow?)null).ToList(), []);
        }

        var header = (facts.RowColumns.GetValueOrDefault(index) ?? []).ToList();
        int Position(string column) => header.FindIndex(h => string.Equals(h, column, StringComparison.OrdinalIgnoreCase));
        var keyPositions = rows.PrimaryKey.Select(Position).ToList();
        var live = facts.Rows[index].Where(v => v.Count == header.Count)
            .Select(v => (Key: (IReadOnlyList<string?>)keyPositions.Select(p => p < 0 ? null : v[p]).ToList(), Values: v))
            .ToList();

        // Exact key first; then ignoring case, as MariaDB's default collations compare (the key's case is then updated).
        var unmatched = live.ToList();
        var declared = rows.Rows.Select(row =>
        {
            var key = rows.KeyOf(row);
            var found = unmatched.FindIndex(l => l.Key.SequenceEqual(key, StringComparer.Ordinal));
            if (found < 0) found = unmatched.FindIndex(l => l.Key.SequenceEqual(key, StringComparer.OrdinalIgnoreCase));
            if (found < 0) return null;

            var match = unmatched[found];
            unmatched.RemoveAt(found);
            var cells = row.Cells
                .Select(c => (Cell: c, At: Position(c.Column)))
                .Where(c => c.At >= 0)
                .Select(c => (c.Cell, Live: match.Values[c.At], Disclosure: Disclosure(rows, c.Cell, match.Values[c.At])))
                .Select(c => new MariaDbLiveCell(c.Cell.Column, c.Disclosure == MariaDbCellDisclosure.Shown ? c.Live : null, c.Cell.Value.Matches(c.Live), c.Disclosure))
                .ToList();
            return new MariaDbLiveRow(match.Key, cells);
        }).ToList();

        // Rows nobody declares: every live key (K lines, read only for an exclusive table) but those matched above.
        var matched = declared.OfType<MariaDbLiveRow>().Select(r => MariaDbRowsResource.KeyIdentity(r.Key)).ToHashSet(StringComparer.Ordinal);
        var undeclared = rows.Exclusive
            ? facts.Keys[index].Select(k => k.Count == rows.PrimaryKey.Count
                    ? k
                    : throw new FormatException($"a key line for {rows.Address} has {k.Count} field(s), not {rows.PrimaryKey.Count}"))
                .Where(k => !matched.Contains(MariaDbRowsResource.KeyIdentity(k)))
                .Select(k => new MariaDbLiveRow(k, []))
                .ToList()
            : [];
        return new MariaDbRowsObserved(null, true, declared, undeclared);
    }

    /// <summary>
    /// Whether a plan may show a live cell: secrets never (declared as one, a secret-named column, a hash-shaped value on
    /// either side — whatever the spec says), other columns only when the spec lists them as public.
    /// </summary>
    private static MariaDbCellDisclosure Disclosure(MariaDbRowsResource rows, MariaDbCell cell, string? live) =>
        cell.Value.Sensitive || MariaDbSensitivity.IsSensitive(cell.Column, cell.Value.Text, live) ? MariaDbCellDisclosure.Secret
        : rows.IsPublic(cell.Column) ? MariaDbCellDisclosure.Shown
        : MariaDbCellDisclosure.NotPublic;
}
