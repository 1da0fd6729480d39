namespace Reconciler.Cli.Views;

/// <summary>One difference as drift reports show it: declared vs live, both already masked when sensitive.</summary>
internal sealed record DriftRow(string Address, string Attribute, string Declared, string Live, string Source, IReadOnlyList<string> Detail);
