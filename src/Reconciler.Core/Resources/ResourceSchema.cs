using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reconciler.Core.Resources;

/// <summary>
/// The schema files generated from the kinds: schemas/resources.schema.json is the base (kind, target, shared
/// definitions) plus every kind's fragment in catalog order; schemas/plan.schema.json gets the kinds' plan kinds as its
/// resource kind enum. The files stay committed for editors; a test holds them equal to what this generates, and
/// <c>reconciler schemas --dir schemas</c> rewrites them.
/// </summary>
public static class ResourceSchema
{
    public const string ResourcesFileName = "resources.schema.json";

    public const string PlanFileName = "plan.schema.json";

    private static readonly JsonSerializerOptions Written = new()
    {
        WriteIndented = true,
        // Descriptions hold quotes, '<', '>' and dashes; editors show the file, so they stay as written.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>schemas/resources.schema.json for <paramref name="kinds"/>.</summary>
    /// <exception cref="InvalidOperationException">A fragment does not declare exactly its kind's sections, or two kinds declare one name.</exception>
    public static string Resources(IReadOnlyList<IResourceKind> kinds)
    {
        var root = JsonNode.Parse(SchemaFragment.Of(typeof(ResourceSchema), "resources.base.schema.json"))!.AsObject();
        var properties = root["properties"]!.AsObject();
        var definitions = root["definitions"]!.AsObject();
        foreach (var kind in kinds)
        {
            var name = kind.GetType().Name;
            var fragment = JsonNode.Parse(kind.SchemaFragment)!.AsObject();
            if (fragment.Select(p => p.Key).Except(["properties", "definitions"]).FirstOrDefault() is { } extra)
            {
                throw new InvalidOperationException($"{name}'s schema fragment has '{extra}'; a fragment holds only properties and definitions");
            }

            var sections = fragment["properties"]?.AsObject().Select(p => p.Key).ToList() ?? [];
            if (!sections.SequenceEqual(kind.Sections))
            {
                throw new InvalidOperationException(
                    $"{name}'s schema fragment declares sections [{string.Join(", ", sections)}], the kind reads [{string.Join(", ", kind.Sections)}]");
            }

            Merge(fragment["properties"], properties, name, "section");
            Merge(fragment["definitions"], definitions, name, "definition");
        }

        return root.ToJsonString(Written) + "\n";
    }

    /// <summary><paramref name="planSchema"/> (schemas/plan.schema.json) with its resource kind enum set to the kinds' plan kinds.</summary>
    public static string Plan(string planSchema, IReadOnlyList<IResourceKind> kinds)
    {
        var root = JsonNode.Parse(planSchema)!;
        var kindEnum = FindKindEnum(root) ?? throw new InvalidOperationException("the plan schema has no 'kind' property with an enum");
        kindEnum.Clear();
        foreach (var planKind in kinds.SelectMany(k => k.PlanKinds))
        {
            kindEnum.Add(planKind);
        }

        return root.ToJsonString(Written) + "\n";
    }

    private static void Merge(JsonNode? from, JsonObject into, string kind, string what)
    {
        foreach (var (key, value) in from?.AsObject().ToList() ?? [])
        {
            if (into.ContainsKey(key))
            {
                throw new InvalidOperationException($"{kind} declares the {what} '{key}', which is already declared");
            }

            into[key] = value!.DeepClone();
        }
    }

    /// <summary>The enum of the first "kind" property that has one (the plan's resource changes).</summary>
    private static JsonArray? FindKindEnum(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "kind" && value is JsonObject kind && kind["enum"] is JsonArray values)
                    {
                        return values;
                    }

                    if (FindKindEnum(value) is { } found)
                    {
                        return found;
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (FindKindEnum(item) is { } found)
                    {
                        return found;
                    }
                }

                break;
        }

        return null;
    }
}
