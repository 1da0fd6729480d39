namespace Reconciler.Core.Specs;

/// <summary>
/// Typed reads of mapping fields for code that runs after schema validation, when types are already known to be right.
/// </summary>
public static class SpecMappingReading
{
    /// <summary>The scalar at <paramref name="key"/>, or null when absent or explicitly null.</summary>
    public static SpecScalar? Scalar(this SpecMapping mapping, string key) =>
        mapping[key] is SpecScalar { Value: not null } scalar ? scalar : null;

    /// <summary>The field's text as written (so 0644 stays "0644"), or null when absent.</summary>
    public static string? Text(this SpecMapping mapping, string key) => mapping.Scalar(key)?.RawText;

    public static SpecMapping? Mapping(this SpecMapping mapping, string key) => mapping[key] as SpecMapping;

    public static IReadOnlyList<SpecNode> Items(this SpecMapping mapping, string key) =>
        mapping[key] is SpecSequence sequence ? sequence.Items : [];

    /// <summary>
    /// Converts to plain .NET values (string, long, double, bool, null, lists, dictionaries). Recursion is safe: the
    /// YAML reader rejects deeply nested documents before a tree is built.
    /// </summary>
    public static object? ToPlainValue(this SpecNode node) => node switch
    {
        SpecScalar scalar => scalar.Value,
        SpecSequence sequence => sequence.Items.Select(ToPlainValue).ToList(),
        SpecMapping mapping => mapping.Entries.ToDictionary(e => e.Key.RawText, e => e.Value.ToPlainValue(), StringComparer.Ordinal),
        _ => throw new InvalidOperationException($"unexpected node {node.GetType().Name}"),
    };
}
