namespace Reconciler.Specs.Schema;

/// <summary>The top-level <c>kind:</c> of a spec file; it selects the schema.</summary>
internal enum SpecFileKind
{
    Inventory,
    Resources,
}
