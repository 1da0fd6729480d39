namespace Reconciler.Specs.Reference;

/// <summary>
/// What a spec author needs to know about one field, read from the JSON Schema: a list's items and a map's values are
/// seen through, so <see cref="Fields"/> are the names written under it (an item's keys, a host's settings).
/// </summary>
public sealed record FieldReference
{
    /// <summary>The key as written in YAML; for a file or a kind, its name.</summary>
    public required string Name { get; init; }

    /// <summary>Dotted from the kind (or file) down: <c>permissions.remove</c>, <c>inventory.hosts.host_key</c>.</summary>
    public required string Path { get; init; }

    /// <summary>As a person reads it: "string", "string or integer", "list of objects", "map of name → object".</summary>
    public required string Type { get; init; }

    public bool Required { get; init; }

    /// <summary>The schema's default, written as in YAML; null when it declares none.</summary>
    public string? Default { get; init; }

    /// <summary>The values allowed (an enum), written as in YAML; empty when any value of the type is.</summary>
    public IReadOnlyList<string> Allowed { get; init; } = [];

    /// <summary>Other rules a value must meet, each a short phrase: "pattern ^[a-z]+$", "1 to 65535", "no duplicates".</summary>
    public IReadOnlyList<string> Rules { get; init; } = [];

    /// <summary>The schema marks the value x-sensitive: masked in every output.</summary>
    public bool Sensitive { get; init; }

    public string Description { get; init; } = "";

    /// <summary>The schema's examples, each as YAML under the field's own key (<c>remove: g-w,o-w</c>).</summary>
    public IReadOnlyList<string> Examples { get; init; } = [];

    /// <summary>The keys written under it, in schema order.</summary>
    public IReadOnlyList<FieldReference> Fields { get; init; } = [];

    /// <summary>Its schema, its own <c>$ref</c> followed (nested ones still point into the file's definitions): tests check examples against it.</summary>
    internal System.Text.Json.Nodes.JsonObject? Schema { get; init; }
}
