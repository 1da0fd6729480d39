using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using NJsonSchema;
using Reconciler.Core.Resources;

namespace Reconciler.Specs.Schema;

/// <summary>
/// The JSON Schemas, parsed once: the inventory's embedded in this assembly (linked from /schemas, where editors find
/// it), the resources' generated from the resource kinds' fragments (the committed file is the same text, by test).
/// </summary>
internal static class SpecSchemas
{
    private static readonly Lazy<JsonSchema> Inventory = new(() => Parse(InventoryText));

    // One parsed resources schema per catalog, made on first use and kept as long as the catalog is.
    private static readonly ConditionalWeakTable<KindCatalog, Lazy<JsonSchema>> Resources = new();

    /// <summary>The inventory's schema as written in schemas/inventory.schema.json (the reference reads its descriptions).</summary>
    public static string InventoryText => Embedded("inventory.schema.json");

    /// <summary>The schema a file of <paramref name="kind"/> is validated against; a resources file's is generated from <paramref name="kinds"/>.</summary>
    public static JsonSchema For(SpecFileKind kind, KindCatalog kinds) => kind switch
    {
        SpecFileKind.Inventory => Inventory.Value,
        SpecFileKind.Resources => Resources.GetValue(kinds, catalog => new(() => Parse(ResourceSchema.Resources(catalog.All)))).Value,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// The pattern as the validator runs it: a final '$' becomes '\z', because .NET's '$' also matches before a final
    /// newline ("web1\n" would pass ^[a-z0-9]+$). The files in /schemas keep '$', which means end of text in the
    /// ECMAScript regexes editors use.
    /// </summary>
    public static string Anchored(string pattern) =>
        pattern.EndsWith('$') && !pattern.EndsWith("\\$", StringComparison.Ordinal) ? pattern[..^1] + "\\z" : pattern;

    /// <summary>How a message shows a pattern: as written in the schema file.</summary>
    public static string AsWritten(string pattern) =>
        pattern.EndsWith("\\z", StringComparison.Ordinal) ? pattern[..^2] + "$" : pattern;

    private static string AnchorPatterns(string json)
    {
        var root = JsonNode.Parse(json)!;
        Anchor(root);
        return root.ToJsonString();
    }

    private static void Anchor(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (key == "pattern" && value is JsonValue pattern && pattern.TryGetValue<string>(out var text))
                    {
                        obj[key] = Anchored(text);
                    }
                    else if (key == "patternProperties" && value is JsonObject properties)
                    {
                        foreach (var (name, schema) in properties.ToList())
                        {
                            properties.Remove(name);
                            properties[Anchored(name)] = schema;
                            Anchor(schema);
                        }
                    }
                    else
                    {
                        Anchor(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Anchor(item);
                }

                break;
        }
    }

    private static string Embedded(string fileName)
    {
        var resourceName = $"Reconciler.Specs.Schemas.{fileName}";
        using var stream = typeof(SpecSchemas).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"embedded schema {resourceName} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static JsonSchema Parse(string json)
    {
        // FromJsonAsync completes without real I/O (no external $refs); Task.Run avoids capturing a caller's context.
        var anchored = AnchorPatterns(json);
        return Task.Run(() => JsonSchema.FromJsonAsync(anchored)).GetAwaiter().GetResult();
    }
}
