using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.MariaDb;

/// <summary>The attributes MariaDB plans name: database defaults, a user's password and grants, columns and rows.</summary>
public static class MariaDbAttributeNames
{
    public static readonly AttributeName Charset = new("charset");
    public static readonly AttributeName Collation = new("collation");
    public static readonly AttributeName Password = new("password");
    public static readonly AttributeName PrimaryKey = new("primary key");

    public static AttributeName GrantsOn(string on) => new($"grants on {on}");

    public static AttributeName Column(string name) => new($"column {name}");

    /// <summary>A row, by its key as plans show it (or the keyed digest of a key that is secret or undeclared).</summary>
    public static AttributeName Row(string key) => new($"row {key}");

    public static AttributeName Cell(string key, string column) => new($"row {key} {column}");
}
