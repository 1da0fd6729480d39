namespace Reconciler.Specs.Reference;

/// <summary>
/// One kind (a section of a resources file) or one file kind (inventory, resources): its one-line title, its fields, and
/// complete files a newcomer can copy, all from the schema.
/// </summary>
/// <param name="Summary">The schema's title: one short line for a list of kinds.</param>
/// <param name="Examples">Whole spec files showing it, one per example in the schema.</param>
public sealed record KindReference(string Name, string Summary, FieldReference Field, IReadOnlyList<string> Examples);
