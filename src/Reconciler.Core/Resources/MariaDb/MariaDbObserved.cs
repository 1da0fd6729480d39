namespace Reconciler.Core.Resources.MariaDb;

/// <summary>
/// What MariaDB looks like for one declared object. <see cref="Blocked"/> is why it cannot be planned (MariaDB not
/// installed or not running, or something it needs neither exists nor is declared). Secrets never appear here: a
/// password or a secret column is observed only as whether it matches.
/// </summary>
public abstract record MariaDbObserved(string? Blocked);

public sealed record MariaDbDatabaseObserved(string? Blocked, bool Exists, string? Charset, string? Collation) : MariaDbObserved(Blocked);

/// <summary>A user: whether the live mysql_native_password hash is the declared password's, and its live privileges on each declared object.</summary>
public sealed record MariaDbUserObserved(string? Blocked, bool Exists, bool PasswordMatches, IReadOnlyList<MariaDbLiveGrant> Grants) : MariaDbObserved(Blocked);

/// <summary>The live privileges on one declared object (<c>db.*</c> or <c>db.table</c>).</summary>
public sealed record MariaDbLiveGrant(string On, IReadOnlyList<string> Privileges);

/// <summary>A table: whether it exists and its live columns in order.</summary>
public sealed record MariaDbTableObserved(string? Blocked, bool Exists, IReadOnlyList<string> Columns) : MariaDbObserved(Blocked);

/// <summary>
/// A table's managed rows: for each declared row (same order) the live row with that key or null, and — when the rows
/// are exclusive — the keys of the live rows nobody declares (only their keys are ever read: their other cells never
/// leave the host).
/// </summary>
public sealed record MariaDbRowsObserved(
    string? Blocked,
    bool TableExists,
    IReadOnlyList<MariaDbLiveRow?> Declared,
    IReadOnlyList<MariaDbLiveRow> Undeclared) : MariaDbObserved(Blocked);

/// <summary>A live row: its key as stored, and each declared column it has (missing columns have no cell).</summary>
public sealed record MariaDbLiveRow(IReadOnlyList<string?> Key, IReadOnlyList<MariaDbLiveCell> Cells);

/// <summary>
/// One live column of a declared row. <paramref name="Value"/> is kept only when <paramref name="Disclosure"/> is
/// <see cref="MariaDbCellDisclosure.Shown"/>; otherwise it is null and only <paramref name="Matches"/> is known.
/// </summary>
public sealed record MariaDbLiveCell(string Column, string? Value, bool Matches, MariaDbCellDisclosure Disclosure = MariaDbCellDisclosure.Shown)
{
    public bool Withheld => Disclosure != MariaDbCellDisclosure.Shown;
}

/// <summary>Whether a plan may show a live cell's value, and if not, why.</summary>
public enum MariaDbCellDisclosure
{
    /// <summary>A column the spec lists in <c>public_columns</c>, and neither the column nor the value is secret-shaped.</summary>
    Shown,

    /// <summary>A column the spec does not list as public: compared, shown as "(not shown: …; value differs)".</summary>
    NotPublic,

    /// <summary>A secret — declared as one, a secret-named column, or a value shaped like a password hash: "(sensitive value)".</summary>
    Secret,
}
