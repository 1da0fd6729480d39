using System.Text;

namespace Reconciler.Core.Resources.MariaDb;

/// <summary>
/// The one query batch that reads every fact a host's MariaDB resources need. Each SELECT prints lines tagged as
/// <see cref="MariaDbFacts"/> parses them. A table's rows are read with a statement prepared from information_schema,
/// so only declared columns that exist are selected and a missing table or column reads as absent instead of failing.
/// Only declared rows are read whole; of an exclusive table's other rows only the key is read (apply deletes by it), so
/// cells of rows the spec does not declare never leave the host.
/// </summary>
internal static class MariaDbReadSql
{
    public static string Build(IReadOnlyList<MariaDbResource> resources)
    {
        var sql = new StringBuilder();
        var databases = new SortedSet<string>(StringComparer.Ordinal);
        var tables = new SortedSet<(string, string)>();
        foreach (var resource in resources)
        {
            switch (resource)
            {
                case MariaDbDatabaseResource d:
                    databases.Add(d.Name);
                    break;
                case MariaDbTableResource t:
                    databases.Add(t.Database);
                    tables.Add((t.Database, t.Name));
                    break;
                case MariaDbRowsResource r:
                    databases.Add(r.Database);
                    tables.Add((r.Database, r.Table));
                    break;
                case MariaDbUserResource u:
                    foreach (var g in u.Grants)
                    {
                        databases.Add(g.Database);
                        if (g.Table is not null) tables.Add((g.Database, g.Table));
                    }

                    break;
            }
        }

        if (databases.Count > 0)
        {
            sql.AppendLine($"SELECT '{MariaDbFacts.DatabaseTag}', HEX(SCHEMA_NAME), DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME " +
                           $"FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN ({List(databases)});");
        }

        if (tables.Count > 0)
        {
            sql.AppendLine($"SELECT '{MariaDbFacts.ColumnTag}', HEX(TABLE_SCHEMA), HEX(TABLE_NAME), HEX(COLUMN_NAME) FROM information_schema.COLUMNS " +
                           $"WHERE (TABLE_SCHEMA, TABLE_NAME) IN ({string.Join(", ", tables.Select(t => $"({MariaDbSql.Value(t.Item1)}, {MariaDbSql.Value(t.Item2)})"))}) " +
                           "ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION;");
        }

        var users = resources.OfType<MariaDbUserResource>().ToList();
        if (users.Count > 0)
        {
            var grantees = List(users.Select(u => u.Grantee));
            sql.AppendLine($"SELECT '{MariaDbFacts.UserTag}', HEX(User), HEX(Host), HEX(plugin), HEX(authentication_string) FROM mysql.user " +
                           $"WHERE (User, Host) IN ({string.Join(", ", users.Select(u => $"({MariaDbSql.Value(u.Name)}, {MariaDbSql.Value(u.Host)})"))});");
            sql.AppendLine($"SELECT '{MariaDbFacts.GrantTag}', HEX(GRANTEE), HEX(TABLE_SCHEMA), '*', HEX(PRIVILEGE_TYPE) " +
                           $"FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE IN ({grantees});");
            sql.AppendLine($"SELECT '{MariaDbFacts.GrantTag}', HEX(GRANTEE), HEX(TABLE_SCHEMA), HEX(TABLE_NAME), HEX(PRIVILEGE_TYPE) " +
                           $"FROM information_schema.TABLE_PRIVILEGES WHERE GRANTEE IN ({grantees});");
        }

        for (var i = 0; i < resources.Count; i++)
        {
            if (resources[i] is MariaDbRowsResource rows && (rows.Exclusive || rows.Rows.Count > 0))
            {
                AppendRows(sql, i, rows);
            }
        }

        return sql.ToString();
    }

    private static void AppendRows(StringBuilder sql, int index, MariaDbRowsResource rows)
    {
        var where = $"TABLE_SCHEMA = {MariaDbSql.Value(rows.Database)} AND TABLE_NAME = {MariaDbSql.Value(rows.Table)}";
        var present = $"FROM information_schema.COLUMNS WHERE {where} AND COLUMN_NAME IN ({List(rows.Columns)})";
        var keys = string.Join(", ", rows.PrimaryKey.Select(MariaDbSql.Id));
        var table = MariaDbSql.Table(rows.Database, rows.Table);
        // Only when every key column exists: then the column list is never empty, and the key filter is valid.
        var keysExist = $"(SELECT COUNT(*) FROM information_schema.COLUMNS WHERE {where} AND COLUMN_NAME IN ({List(rows.PrimaryKey)})) = {rows.PrimaryKey.Count}";
        sql.AppendLine($"SELECT '{MariaDbFacts.RowHeaderTag}', {index}, IFNULL((SELECT GROUP_CONCAT(HEX(COLUMN_NAME) ORDER BY ORDINAL_POSITION) {present}), '');");
        if (rows.Rows.Count > 0)
        {
            var declared = $" FROM {table} WHERE {KeyFilter(rows)} ORDER BY {keys}";
            sql.AppendLine(
                $"SET @rc_q = IF({keysExist}, " +
                $"CONCAT('SELECT ''{MariaDbFacts.RowTag}'', {index}, ', " +
                $"(SELECT GROUP_CONCAT(CONCAT('HEX(CONVERT(`', COLUMN_NAME, '` USING utf8mb4))') ORDER BY ORDINAL_POSITION) {present}), " +
                $"CONVERT(X'{Hex(declared)}' USING utf8mb4)), 'DO 0');");
            sql.AppendLine("PREPARE rc_s FROM @rc_q; EXECUTE rc_s; DEALLOCATE PREPARE rc_s;");
        }

        if (rows.Exclusive)
        {
            // Every live key, declared or not: the controller subtracts the declared ones (as it matched them above).
            var all = $"SELECT '{MariaDbFacts.KeyTag}', {index}, " +
                      string.Join(", ", rows.PrimaryKey.Select(k => $"HEX(CONVERT({MariaDbSql.Id(k)} USING utf8mb4))")) +
                      $" FROM {table} ORDER BY {keys}";
            sql.AppendLine($"SET @rc_q = IF({keysExist}, CONVERT(X'{Hex(all)}' USING utf8mb4), 'DO 0');");
            sql.AppendLine("PREPARE rc_s FROM @rc_q; EXECUTE rc_s; DEALLOCATE PREPARE rc_s;");
        }
    }

    private static string Hex(string text) => Convert.ToHexString(Encoding.UTF8.GetBytes(text));

    /// <summary>Only the declared rows, by key: <c>`k` IN (..)</c>, or <c>(`k1`, `k2`) IN ((..), ..)</c>.</summary>
    private static string KeyFilter(MariaDbRowsResource rows)
    {
        var keys = rows.Rows.Select(rows.KeyOf).ToList();
        return rows.PrimaryKey.Count == 1
            ? $"{MariaDbSql.Id(rows.PrimaryKey[0])} IN ({string.Join(", ", keys.Select(k => MariaDbSql.Value(k[0])))})"
            : $"({string.Join(", ", rows.PrimaryKey.Select(MariaDbSql.Id))}) IN ({string.Join(", ", keys.Select(k => "(" + string.Join(", ", k.Select(MariaDbSql.Value)) + ")"))})";
    }

    private static string List(IEnumerable<string> values) => string.Join(", ", values.Select(MariaDbSql.Value));
}
