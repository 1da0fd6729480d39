using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.MariaDb;

/// <summary>Plans: what differs, attribute by attribute; secret values show only as sensitive attributes.</summary>
public sealed partial class MariaDbProvider
{
    private const string SqlNull = "NULL";

    private static ResourceChange DiffDatabase(MariaDbDatabaseResource desired, MariaDbDatabaseObserved observed)
    {
        var attributes = new List<AttributeChange>();
        if (desired.Charset is { } charset && !string.Equals(observed.Charset, charset, StringComparison.OrdinalIgnoreCase))
        {
            attributes.Add(AttributeChange.Of(MariaDbAttributeNames.Charset, observed.Charset, charset));
        }

        if (desired.Collation is { } collation && !string.Equals(observed.Collation, collation, StringComparison.OrdinalIgnoreCase))
        {
            attributes.Add(AttributeChange.Of(MariaDbAttributeNames.Collation, observed.Collation, collation));
        }

        if (!observed.Exists)
        {
            return new ResourceChange(desired.Address, ChangeAction.Create, attributes, desired.Source, "CREATE DATABASE");
        }

        return attributes.Count == 0
            ? ResourceChange.NoOp(desired)
            : new ResourceChange(desired.Address, ChangeAction.Update, attributes, desired.Source, "ALTER DATABASE: the defaults for new tables; existing tables keep theirs");
    }

    private static ResourceChange DiffUser(MariaDbUserResource desired, MariaDbUserObserved observed)
    {
        var attributes = new List<AttributeChange>();
        if (!observed.PasswordMatches)
        {
            attributes.Add(AttributeChange.Secret(MariaDbAttributeNames.Password, before: observed.Exists, after: true));
        }

        foreach (var (grant, live) in desired.Grants.Zip(observed.Grants))
        {
            var want = MariaDbPrivileges.Ordered(grant.Privileges);
            if (!want.SequenceEqual(live.Privileges, StringComparer.Ordinal))
            {
                attributes.Add(AttributeChange.Of(MariaDbAttributeNames.GrantsOn(grant.On), Privileges(live.Privileges), Privileges(want)));
            }
        }

        if (!observed.Exists)
        {
            return new ResourceChange(desired.Address, ChangeAction.Create, attributes, desired.Source,
                "CREATE USER with the password's mysql_native_password hash (the password itself never reaches the host), then GRANT");
        }

        return attributes.Count == 0
            ? ResourceChange.NoOp(desired)
            : new ResourceChange(desired.Address, ChangeAction.Update, attributes, desired.Source,
                "privileges on each declared object become exactly the declared ones (GRANT/REVOKE); other objects' grants are left alone");
    }

    private static string? Privileges(IReadOnlyList<string> privileges) => privileges.Count == 0 ? null : string.Join(", ", privileges);

    private static ResourceChange DiffTable(MariaDbTableResource desired, MariaDbTableObserved observed)
    {
        if (!observed.Exists)
        {
            List<AttributeChange> all = [.. desired.Columns.Select(c => AttributeChange.Of(MariaDbAttributeNames.Column(c.Name), null, c.Definition))];
            if (desired.PrimaryKey.Count > 0)
            {
                all.Add(AttributeChange.Of(MariaDbAttributeNames.PrimaryKey, null, string.Join(", ", desired.PrimaryKey)));
            }

            return new ResourceChange(desired.Address, ChangeAction.Create, all, desired.Source, "CREATE TABLE");
        }

        var missing = desired.Columns.Where(c => !observed.Columns.Contains(c.Name, StringComparer.OrdinalIgnoreCase))
            .Select(c => AttributeChange.Of(MariaDbAttributeNames.Column(c.Name), null, c.Definition))
            .ToList();
        return missing.Count == 0
            ? ResourceChange.NoOp(desired)
            : new ResourceChange(desired.Address, ChangeAction.Update, missing, desired.Source,
                "ALTER TABLE ADD for missing columns only: existing columns' types are not compared, the primary key is set only at creation, undeclared columns are left alone");
    }

    /// <summary>
    /// A table's rows. Declared rows are named by their key (the spec's own text); a live cell's value is shown only for
    /// a public, non-secret column — any other differing cell is "(not shown: …; value differs)" or a sensitive value.
    /// Rows nobody declares are only counted and named by keyed digests of their keys (<paramref name="key"/>): the
    /// plan commits to exactly which rows go (its fingerprint covers their keys), and apply deletes only those.
    /// </summary>
    private static ResourceChange DiffRows(MariaDbRowsResource desired, MariaDbRowsObserved observed, PlanKey key)
    {
        var attributes = new List<AttributeChange>();
        var (inserts, updates) = (0, 0);
        foreach (var (row, live) in desired.Rows.Zip(observed.Declared))
        {
            var name = ShownKey(desired, desired.KeyOf(row), key);
            if (live is null)
            {
                inserts++;
                attributes.Add(AttributeChange.Of(MariaDbAttributeNames.Row(name), null, Created(desired, row)));
                continue;
            }

            var changed = row.Cells.Select(c => (Cell: c, Live: live.Cells.FirstOrDefault(l => string.Equals(l.Column, c.Column, StringComparison.OrdinalIgnoreCase))))
                .Where(c => c.Live is not { Matches: true })
                .Select(c => CellChange(MariaDbAttributeNames.Cell(name, c.Cell.Column), c.Cell, c.Live))
                .ToList();
            if (changed.Count > 0)
            {
                updates++;
                attributes.AddRange(changed);
            }
        }

        var deletes = observed.Undeclared.Count;
        attributes.AddRange(observed.Undeclared.Select(u => new AttributeChange(MariaDbAttributeNames.Row(desired.KeyDigest(u.Key, key)), new PlanValue.Text("present"), new PlanValue.Deleted())));
        if (attributes.Count == 0)
        {
            return ResourceChange.NoOp(desired);
        }

        var note = $"{inserts} row(s) to insert, {updates} to update, {deletes} to delete; one transaction, rolled back on any error"
                   + (desired.Exclusive ? "; exclusive: live rows not declared are deleted" : "")
                   + (deletes > 0 ? $"; {deletes} row(s) the spec does not declare would be deleted (named by keyed digests of their keys; their cells are never read)" : "");
        return new ResourceChange(desired.Address, observed.TableExists ? ChangeAction.Update : ChangeAction.Create, attributes, desired.Source, note)
        {
            Effects = deletes > 0 ? ChangeEffects.DeletesData : ChangeEffects.None,
        };
    }

    /// <summary>One differing declared cell: the live value only when the column is public and nothing about it is secret.</summary>
    private static AttributeChange CellChange(AttributeName name, MariaDbCell cell, MariaDbLiveCell? live)
    {
        if (cell.Value.Sensitive || live is { Disclosure: MariaDbCellDisclosure.Secret } || MariaDbSensitivity.IsSensitive(cell.Column, cell.Value.Text, null))
        {
            return AttributeChange.Secret(name, before: live is not null, after: true);
        }

        PlanValue before = live switch
        {
            null => new PlanValue.Absent(),
            { Disclosure: MariaDbCellDisclosure.Shown } => new PlanValue.Text(live.Value ?? SqlNull),
            _ => new PlanValue.Withheld($"{cell.Column} is not a public column", "value differs"),
        };
        return new AttributeChange(name, before, new PlanValue.Text(cell.Value.Text ?? SqlNull));
    }

    /// <summary>A declared row's key as plans name it; a key that is itself a secret (a hash, or a secret-named column) only by its keyed digest.</summary>
    private static string ShownKey(MariaDbRowsResource rows, IReadOnlyList<string?> key, PlanKey planKey) =>
        rows.PrimaryKey.Zip(key).Any(k => MariaDbSensitivity.IsSensitive(k.First, k.Second, null))
            ? $"(sensitive key {rows.KeyDigest(key, planKey)})"
            : MariaDbRowsResource.KeyText(key);

    /// <summary>A new row as plans show it: its other columns' values, secrets named but never shown.</summary>
    private static string Created(MariaDbRowsResource rows, MariaDbRow row)
    {
        var values = row.Cells.Where(c => !rows.PrimaryKey.Contains(c.Column, StringComparer.OrdinalIgnoreCase))
            .Select(c => $"{c.Column}: {(c.Value.Sensitive || MariaDbSensitivity.IsSensitive(c.Column, c.Value.Text, null) ? "(sensitive)" : c.Value.Text ?? SqlNull)}")
            .ToList();
        return values.Count == 0 ? "created" : $"created ({string.Join(", ", values)})";
    }
}
