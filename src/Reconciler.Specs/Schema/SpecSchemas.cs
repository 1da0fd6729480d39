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

    // Per catalog: its generated resources schema, and one parsed schema per set of sections files use, made on first use
    // and kept as long as the catalog is. Parsing the whole schema (every kind's definitions) was most of a run's start-up;
    // a file is validated against the schema with only its own sections' definitions, which judges it the same way.
    private static readonly ConditionalWeakTable<KindCatalog, ResourceSchemas> Resources = new();

    /// <summary>The inventory's schema as written in schemas/inventory.schema.json (the reference reads its descriptions).</summary>
    public static string InventoryText => Embedded("inventory.schema.json");

    /// <summary>
    /// The schema a file of <paramref name="kind"/> is validated against; a resources file's is generated from
    /// <paramref name="kinds"/>, with the definitions of the <paramref name="sections"/> the file has. Every
    /// section name stays a property, so an unknown or misspelt one is refused, with the same suggestions, either way.
    /// </summary>
    public static JsonSchema For(SpecFileKind kind, KindCatalog kinds, IEnumerable<string> sections) => kind switch
    {
        SpecFileKind.Inventory => Inventory.Value,
        SpecFileKind.Resources => Resources.GetValue(kinds, catalog => new ResourceSchemas(catalog)).For(sections),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private sealed class ResourceSchemas(KindCatalog catalog)
    {
        private readonly Lazy<JsonObject> _whole = new(() => JsonNode.Parse(ResourceSchema.Resources(catalog.All))!.AsObject());
        private readonly HashSet<string> _kindSections = catalog.All.SelectMany(k => k.Sections).ToHashSet(StringComparer.Ordinal);
        private readonly Dictionary<string, JsonSchema> _parsed = new(StringComparer.Ordinal);

        public JsonSchema For(IEnumerable<string> sections)
        {
            var used = sections.Where(_kindSections.Contains).Distinct().Order(StringComparer.Ordinal).ToList();
            var key = string.Join(",", used);
            lock (_parsed)
            {
                if (!_parsed.TryGetValue(key, out var schema))
                {
                    schema = Parse(Trimmed(used).ToJsonString());
                    _parsed[key] = schema;
                }

                return schema;
            }
        }

        /// <summary>The whole schema with every section not in <paramref name="used"/> accepting anything (it is absent from
        /// the file, so never validated) and only the definitions the rest refers to, directly or through each other.</summary>
        private JsonObject Trimmed(IReadOnlyList<string> used)
        {
            var root = _whole.Value.DeepClone().AsObject();
            var properties = root["properties"]!.AsObject();
            foreach (var name in properties.Select(p => p.Key).Where(n => _kindSections.Contains(n) && !used.Contains(n)).ToList())
            {
                properties[name] = new JsonObject();
            }

            var definitions = root["definitions"]!.AsObject();
            root.Remove("definitions");
            var kept = new JsonObject();
            var pending = new Queue<JsonNode>([root]);
            while (pending.TryDequeue(out var node))
            {
                foreach (var name in References(node))
                {
                    if (!kept.ContainsKey(name) && definitions[name] is { } definition)
                    {
                        kept[name] = definition.DeepClone();
                        pending.Enqueue(kept[name]!);
                    }
                }
            }

            root["definitions"] = kept;
            return root;
        }

        private static IEnumerable<string> References(JsonNode? node)
        {
            const string prefix = "#/definitions/";
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, value) in obj)
                    {
                        if (key == "$ref" && value is JsonValue reference && reference.TryGetValue<string>(out var target) && target.StartsWith(prefix, StringComparison.Ordinal))
                        {
                            yield return target[prefix.Length..];
                        }
                        else
                        {
                            foreach (var name in References(value))
                            {
                                yield return name;
                            }
                        }
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        foreach (var name in References(item))
                        {
                            yield return name;
                        }
                    }

                    break;
            }
        }
    }

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
