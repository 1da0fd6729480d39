namespace Reconciler.Core.Resources.MariaDb;

/// <summary>One declared column value of a row.</summary>
public sealed record MariaDbCell(string Column, MariaDbValue Value);
