using System.Globalization;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Resources.MariaDb;
using Reconciler.Core.Secrets;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.MariaDb;

/// <summary>
/// Reads a schema-valid <c>mariadb:</c> section into its resources, in the order they must apply: databases, tables
/// (a table-level grant needs its table), users, then each table's rows. Secrets are resolved here; a missing one is
/// RC3013 at its name.
/// </summary>
internal static class MariaDbSectionReader
{
    public const string DefaultHost = "localhost";

    public static IReadOnlyList<ResourceDeclaration> Read(SpecMapping mariadb, SecretStore secrets, ICollection<Diagnostic> diagnostics)
    {
        foreach (var database in mariadb.Items("databases").Cast<SpecMapping>().Select(d => d.Scalar("name")!)
            .Concat(mariadb.Items("tables").Cast<SpecMapping>().Select(t => t.Scalar("database")!)))
        {
            CheckNotSystem(database.RawText, database.Location, diagnostics);
        }

        var databases = mariadb.Items("databases").Cast<SpecMapping>()
            .Select(d => new MariaDbDatabaseResource(d.Text("name")!, d.Text("charset"), d.Text("collation"), d.Location))
            .ToList();
        var tables = new List<MariaDbTableResource>();
        var rows = new List<MariaDbRowsResource>();
        foreach (var item in mariadb.Items("tables").Cast<SpecMapping>())
        {
            var (table, tableRows) = ReadTable(item, secrets, diagnostics);
            tables.Add(table);
            if (tableRows is not null) rows.Add(tableRows);
        }

        var users = mariadb.Items("users").Cast<SpecMapping>()
            .Select(u => ReadUser(u, secrets, diagnostics))
            .OfType<MariaDbUserResource>()
            .ToList();
        return [.. databases.Concat<MariaDbResource>(tables).Concat(users).Concat(rows).Select(r => new ResourceDeclaration(r, null))];
    }

    private static void CheckNotSystem(string database, SourceLocation at, ICollection<Diagnostic> diagnostics)
    {
        if (MariaDbNames.IsSystemSchema(database))
        {
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.InvalidValue,
                $"'{database}' is a MariaDB system schema ({string.Join(", ", MariaDbNames.SystemSchemas)}); it holds accounts, password hashes and server internals and cannot be declared",
                at));
        }
    }

    private static MariaDbUserResource? ReadUser(SpecMapping item, SecretStore secrets, ICollection<Diagnostic> diagnostics)
    {
        var password = SecretReferences.Resolve(item["password"]!, secrets, diagnostics);
        var grants = new List<MariaDbGrant>();
        var seen = new Dictionary<string, SpecScalar>(StringComparer.Ordinal);
        foreach (var grant in item.Items("grants").Cast<SpecMapping>())
        {
            var on = grant.Scalar("on")!;
            var (database, table) = MariaDbGrant.ParseOn(on.RawText)!.Value;
            CheckNotSystem(database, on.Location, diagnostics);
            if (!seen.TryAdd(on.RawText, on))
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.DuplicateName,
                    $"grants on '{on.RawText}' are already declared for this user at {seen[on.RawText].Location}", on.Location));
            }

            var privileges = grant.Items("privileges").Cast<SpecScalar>().ToList();
            foreach (var privilege in privileges.Where(p => table is not null && !MariaDbPrivileges.Table.Contains(p.RawText)))
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue,
                    $"{privilege.RawText} cannot be granted on a table; on '{on.RawText}' only {string.Join(", ", MariaDbPrivileges.Table)}", privilege.Location));
            }

            grants.Add(new MariaDbGrant(database, table, MariaDbPrivileges.Ordered(privileges.Select(p => p.RawText))));
        }

        return password is null
            ? null
            // MariaDB stores an account's host in lower case; declared otherwise, it would never be found.
            : new MariaDbUserResource(item.Text("name")!, (item.Text("host") ?? DefaultHost).ToLowerInvariant(), password, grants, item.Location);
    }

    private static (MariaDbTableResource Table, MariaDbRowsResource? Rows) ReadTable(SpecMapping item, SecretStore secrets, ICollection<Diagnostic> diagnostics)
    {
        var database = item.Text("database")!;
        var name = item.Text("name")!;
        var columns = new List<MariaDbColumn>();
        var columnNames = new Dictionary<string, SpecScalar>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in item.Mapping("columns")!.Entries)
        {
            // MariaDB column names ignore case: Username and username would be one column declared twice.
            if (!columnNames.TryAdd(entry.Key.RawText, entry.Key))
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.DuplicateName,
                    $"column '{entry.Key.RawText}' is already declared as '{columnNames[entry.Key.RawText].RawText}' (column names ignore case)", entry.Key.Location));
                continue;
            }

            columns.Add(new MariaDbColumn(entry.Key.RawText, ((SpecScalar)entry.Value).RawText));
        }

        var primaryKey = item.Items("primary_key").Cast<SpecScalar>().ToList();
        foreach (var key in primaryKey.Where(k => !columnNames.ContainsKey(k.RawText)))
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue,
                $"primary key column '{key.RawText}' is not one of the table's columns{DidYouMeanColumn(key.RawText, columnNames.Keys)}", key.Location));
        }

        var keyNames = primaryKey.Select(k => columnNames.TryGetValue(k.RawText, out var c) ? c.RawText : k.RawText).ToList();
        var table = new MariaDbTableResource(database, name, columns, keyNames, item.Location);
        var exclusive = item.Scalar("exclusive")?.Value is true;
        var publicColumns = ReadPublicColumns(item, columnNames, diagnostics);
        if (item.Find("rows") is not { } rowsEntry)
        {
            if (exclusive)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue,
                    "'exclusive' needs 'rows': it deletes the live rows that no declared row matches", item.Find("exclusive")!.Key.Location));
            }

            if (item.Find("public_columns") is { } publicEntry)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue,
                    "'public_columns' needs 'rows': it says which live cells of declared rows a plan may show", publicEntry.Key.Location));
            }

            return (table, null);
        }

        if (primaryKey.Count == 0)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue,
                "'rows' needs 'primary_key': declared rows are matched to live rows by it", rowsEntry.Key.Location));
            return (table, null);
        }

        var rows = new List<MariaDbRow>();
        var keys = new Dictionary<string, SpecMapping>(StringComparer.Ordinal);
        foreach (var rowItem in item.Items("rows").Cast<SpecMapping>())
        {
            if (ReadRow(rowItem, columnNames, keyNames, secrets, diagnostics) is not { } row)
            {
                continue;
            }

            var keyText = MariaDbRowsResource.KeyText(keyNames.Select(k => row[k]?.Text).ToList());
            if (!keys.TryAdd(keyText, rowItem))
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.DuplicateName,
                    $"row {keyText} is already declared at {keys[keyText].Location}", rowItem.Location));
                continue;
            }

            rows.Add(row);
        }

        return (table, new MariaDbRowsResource(database, name, keyNames, exclusive, rows, rowsEntry.Key.Location) { PublicColumns = publicColumns });
    }

    /// <summary>
    /// The columns whose live values a plan may show: each a declared column, and none secret-shaped by name — those are
    /// never shown whatever the spec says, so listing one would promise what the plan will not do.
    /// </summary>
    private static IReadOnlyList<string> ReadPublicColumns(SpecMapping item, Dictionary<string, SpecScalar> columns, ICollection<Diagnostic> diagnostics)
    {
        var result = new List<string>();
        foreach (var column in item.Items("public_columns").Cast<SpecScalar>())
        {
            if (!columns.TryGetValue(column.RawText, out var declared))
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue,
                    $"public column '{column.RawText}' is not one of the table's columns{DidYouMeanColumn(column.RawText, columns.Keys)}", column.Location));
            }
            else if (MariaDbSensitivity.IsSensitiveColumn(declared.RawText))
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue,
                    $"column '{declared.RawText}' is named like a secret; its values are compared but never shown, so it cannot be public", column.Location));
            }
            else
            {
                result.Add(declared.RawText);
            }
        }

        return result;
    }

    private static MariaDbRow? ReadRow(
        SpecMapping item, Dictionary<string, SpecScalar> columns, IReadOnlyList<string> primaryKey, SecretStore secrets, ICollection<Diagnostic> diagnostics)
    {
        var errorsBefore = diagnostics.Count;
        var cells = new List<MariaDbCell>();
        foreach (var entry in item.Entries)
        {
            if (!columns.TryGetValue(entry.Key.RawText, out var column))
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue,
                    $"'{entry.Key.RawText}' is not one of the table's columns{DidYouMeanColumn(entry.Key.RawText, columns.Keys)}", entry.Key.Location));
                continue;
            }

            var isKey = primaryKey.Contains(column.RawText, StringComparer.Ordinal);
            if (ReadValue(entry.Value, secrets, diagnostics) is not { } value)
            {
                continue;
            }

            if (isKey && (value.Sensitive || value.Text is null))
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue,
                    $"key column '{column.RawText}' needs a plain value: rows are matched and named by it", entry.Value.Location));
                continue;
            }

            cells.Add(new MariaDbCell(column.RawText, value));
        }

        var missing = primaryKey.Where(k => !item.Entries.Any(e => string.Equals(e.Key.RawText, k, StringComparison.OrdinalIgnoreCase))).ToList();
        if (missing.Count > 0)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue,
                $"row has no value for key column {string.Join(", ", missing.Select(m => $"'{m}'"))}", item.Location));
        }

        return diagnostics.Count > errorsBefore ? null : new MariaDbRow(cells, item.Location);
    }

    /// <summary>A scalar as written (integers as numbers print), null as SQL NULL, or a secret, verbatim or hashed.</summary>
    private static MariaDbValue? ReadValue(SpecNode node, SecretStore secrets, ICollection<Diagnostic> diagnostics)
    {
        switch (node)
        {
            case SpecScalar { Value: null }:
                return MariaDbValue.Plain(null);
            case SpecScalar { Value: long number }:
                return MariaDbValue.Plain(number.ToString(CultureInfo.InvariantCulture));
            case SpecScalar scalar:
                return MariaDbValue.Plain(scalar.RawText);
            case SpecMapping mapping:
                var secret = SecretReferences.Resolve(mapping, secrets, diagnostics);
                return secret is null ? null
                    : mapping.Text("scheme") == "SSHA512" ? MariaDbValue.Ssha512(secret)
                    : MariaDbValue.Secret(secret);
            default:
                return null;
        }
    }

    private static string DidYouMeanColumn(string name, IEnumerable<string> columns) => DidYouMean.Suggest(name, columns);
}
