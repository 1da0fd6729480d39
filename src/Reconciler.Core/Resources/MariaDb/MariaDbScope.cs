namespace Reconciler.Core.Resources.MariaDb;

/// <summary>
/// The MariaDB objects maintainers let specs manage on one host, as the inventory lists them: <c>db.*</c> (the database
/// and every table in it), <c>db.table</c> (that table only) or <c>user:NAME@HOST</c> (that one account). Whoever writes
/// a spec chooses which tables a plan reads, which rows apply deletes and which accounts' passwords a plan compares and
/// apply sets, so a spec may name only what this list holds: databases, tables, rows, accounts and the objects of
/// grants. Names compare exactly, as MariaDB on Linux compares database, table and user names; an account's host part
/// compares exactly too (<c>10.0.0.%</c> lists the account whose host part is that pattern, not every account it
/// matches), so a spelling that differs is refused, never widened.
/// </summary>
public sealed record MariaDbScope(IReadOnlyList<string> Entries)
{
    public static readonly MariaDbScope Nothing = new([]);

    /// <summary>What starts an account entry; a database or table entry never contains ':'.</summary>
    public const string AccountPrefix = "user:";

    /// <summary>
    /// The shapes of an entry, for the inventory schema: <c>db.*</c>, <c>db.table</c> or <c>user:NAME@HOST</c>, each
    /// name in the grammar the spec's own fields use (<see cref="MariaDbNames"/>), so one entry names one thing.
    /// </summary>
    public const string EntryPattern = "^([A-Za-z0-9_]{1,64}\\.(\\*|[A-Za-z0-9_]{1,64})|user:[A-Za-z0-9_]{1,64}@[A-Za-z0-9_.%:-]{1,255})\\z";

    /// <summary>
    /// The server's own accounts: <c>root</c> and <c>mysql</c> reach the server through the unix socket (reconciler's own
    /// access is root's), so setting a password on them is never a spec's business, at any host part.
    /// </summary>
    public static readonly IReadOnlySet<string> SystemAccounts = new HashSet<string>(["root", "mysql"], StringComparer.Ordinal);

    /// <summary>The entry that lists the account <c>NAME@HOST</c>.</summary>
    public static string AccountEntry(string name, string host) => $"{AccountPrefix}{name}@{host}";

    /// <summary>
    /// An account entry's name and host part, or null when <paramref name="entry"/> is not <c>user:NAME@HOST</c> with a
    /// valid name and host part. Neither part can hold '@', so the split is unambiguous.
    /// </summary>
    public static (string Name, string Host)? ParseAccount(string entry)
    {
        if (!entry.StartsWith(AccountPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var account = entry[AccountPrefix.Length..];
        var at = account.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var (name, host) = (account[..at], account[(at + 1)..]);
        return MariaDbNames.IsIdentifier(name) && MariaDbNames.IsAccountHost(host) ? (name, host) : null;
    }

    /// <summary>A whole database: only <c>db.*</c> allows declaring (or granting on) the database itself.</summary>
    public bool AllowsDatabase(string database) => Entries.Contains($"{database}.*", StringComparer.Ordinal);

    /// <summary>A table: <c>db.*</c> or <c>db.table</c>.</summary>
    public bool AllowsTable(string database, string table) =>
        AllowsDatabase(database) || Entries.Contains($"{database}.{table}", StringComparer.Ordinal);

    /// <summary>An account: only its own <c>user:NAME@HOST</c>; listing a database allows no account.</summary>
    public bool AllowsAccount(string name, string host) => Entries.Contains(AccountEntry(name, host), StringComparer.Ordinal);

    /// <summary>
    /// Each object of <paramref name="resource"/> this scope does not allow, as the entry that would list it:
    /// <c>db.*</c>, <c>db.table</c> or <c>user:NAME@HOST</c>. A user is refused for the account itself first (its
    /// password is compared in every plan and set by apply), then for each grant's object.
    /// </summary>
    public IReadOnlyList<string> Refused(MariaDbResource resource) => resource switch
    {
        MariaDbDatabaseResource d => AllowsDatabase(d.Name) ? [] : [$"{d.Name}.*"],
        MariaDbTableResource t => AllowsTable(t.Database, t.Name) ? [] : [$"{t.Database}.{t.Name}"],
        MariaDbRowsResource r => AllowsTable(r.Database, r.Table) ? [] : [$"{r.Database}.{r.Table}"],
        MariaDbUserResource u =>
        [
            .. AllowsAccount(u.Name, u.Host) ? Array.Empty<string>() : [AccountEntry(u.Name, u.Host)],
            .. u.Grants
                .Where(g => g.Table is null ? !AllowsDatabase(g.Database) : !AllowsTable(g.Database, g.Table))
                .Select(g => g.On),
        ],
        _ => [],
    };
}
