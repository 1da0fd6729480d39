namespace Reconciler.Core.Resources.MariaDb;

/// <summary>One declared column: its name and its definition as CREATE TABLE takes it (e.g. <c>varchar(255) NOT NULL</c>).</summary>
public sealed record MariaDbColumn(string Name, string Definition);
