using System.Text;

namespace Reconciler.Core.Resources.MariaDb;

/// <summary>
/// The SQL each change runs. Only what the plan found different is touched; passwords go as mysql_native_password
/// hashes and row values as hex literals, on the client's stdin, never on a command line.
/// </summary>
public sealed partial class MariaDbProvider
{
    private static string DatabaseSql(MariaDbDatabaseResource desired, MariaDbDatabaseObserved observed)
    {
        var defaults = (desired.Charset is null ? "" : $" CHARACTER SET {MariaDbSql.Id(desired.Charset)}")
                       + (desired.Collation is null ? "" : $" COLLATE {MariaDbSql.Id(desired.Collation)}");
        return observed.Exists
            ? $"ALTER DATABASE {MariaDbSql.Id(desired.Name)}{defaults};\n"
            : $"CREATE DATABASE IF NOT EXISTS {MariaDbSql.Id(desired.Name)}{defaults};\n";
    }

    private static string UserSql(MariaDbUserResource desired, MariaDbUserObserved observed)
    {
        var account = MariaDbSql.Account(desired.Name, desired.Host);
        var sql = new StringBuilder();
        if (!observed.Exists)
        {
            sql.AppendLine($"CREATE USER {account} IDENTIFIED BY PASSWORD '{PasswordHashes.Native(desired.Password)}';");
        }
        else if (!observed.PasswordMatches)
        {
            sql.AppendLine($"ALTER USER {account} IDENTIFIED BY PASSWORD '{PasswordHashes.Native(desired.Password)}';");
        }

        foreach (var (grant, live) in desired.Grants.Zip(observed.Grants))
        {
            var missing = grant.Privileges.Except(live.Privileges, StringComparer.Ordinal).ToList();
            var extra = live.Privileges.Except(grant.Privileges, StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                sql.AppendLine($"GRANT {MariaDbSql.Privileges(MariaDbPrivileges.Ordered(missing))} ON {MariaDbSql.On(grant)} TO {account};");
            }

            if (extra.Count > 0)
            {
                sql.AppendLine($"REVOKE {MariaDbSql.Privileges(extra)} ON {MariaDbSql.On(grant)} FROM {account};");
            }
        }

        return sql.ToString();
    }

    private static string TableSql(MariaDbTableResource desired, MariaDbTableObserved observed)
    {
        var table = MariaDbSql.Table(desired.Database, desired.Name);
        if (!observed.Exists)
        {
            var definitions = desired.Columns.Select(c => $"  {MariaDbSql.Id(c.Name)} {Definition(c)}").ToList();
            if (desired.PrimaryKey.Count > 0)
            {
                definitions.Add($"  PRIMARY KEY ({string.Join(", ", desired.PrimaryKey.Select(MariaDbSql.Id))})");
            }

            return $"CREATE TABLE IF NOT EXISTS {table} (\n{string.Join(",\n", definitions)}\n);\n";
        }

        var added = desired.Columns.Where(c => !observed.Columns.Contains(c.Name, StringComparer.OrdinalIgnoreCase))
            .Select(c => $"ADD COLUMN {MariaDbSql.Id(c.Name)} {Definition(c)}");
        return $"ALTER TABLE {table} {string.Join(", ", added)};\n";
    }

    private static string Definition(MariaDbColumn column) => MariaDbNames.IsColumnDefinition(column.Definition)
        ? column.Definition
        : throw new ArgumentException($"not a valid column definition for {column.Name}", nameof(column));

    /// <summary>Deletes, then updates, then inserts (a freed unique value can be reused), in one transaction.</summary>
    private static string RowsSql(MariaDbRowsResource desired, MariaDbRowsObserved observed)
    {
        var table = MariaDbSql.Table(desired.Database, desired.Table);
        string Where(IReadOnlyList<string?> key) =>
            string.Join(" AND ", desired.PrimaryKey.Select((k, i) => $"{MariaDbSql.Id(k)} <=> {MariaDbSql.Value(key[i])}"));

        var sql = new StringBuilder("START TRANSACTION;\n");
        foreach (var row in observed.Undeclared)
        {
            sql.AppendLine($"DELETE FROM {table} WHERE {Where(row.Key)};");
        }

        foreach (var (row, live) in desired.Rows.Zip(observed.Declared))
        {
            if (live is null)
            {
                continue;
            }

            var set = row.Cells.Where(c => !live.Cells.Any(l => l.Matches && string.Equals(l.Column, c.Column, StringComparison.OrdinalIgnoreCase)))
                .Select(c => $"{MariaDbSql.Id(c.Column)} = {MariaDbSql.Value(c.Value.ToStore())}")
                .ToList();
            if (set.Count > 0)
            {
                sql.AppendLine($"UPDATE {table} SET {string.Join(", ", set)} WHERE {Where(live.Key)};");
            }
        }

        foreach (var (row, _) in desired.Rows.Zip(observed.Declared).Where(p => p.Second is null))
        {
            sql.AppendLine($"INSERT INTO {table} ({string.Join(", ", row.Cells.Select(c => MariaDbSql.Id(c.Column)))}) " +
                           $"VALUES ({string.Join(", ", row.Cells.Select(c => MariaDbSql.Value(c.Value.ToStore())))});");
        }

        return sql.AppendLine("COMMIT;").ToString();
    }
}
