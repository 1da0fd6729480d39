using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.MariaDb;

/// <summary>A database (CREATE DATABASE IF NOT EXISTS); a declared character set or collation is kept as the default.</summary>
public sealed record MariaDbDatabaseResource(string Name, string? Charset, string? Collation, SourceLocation Source) : MariaDbResource(Source)
{
    public const string KindName = "mariadb_database";

    public override ResourceAddress Address => new(KindName, Name);
}
