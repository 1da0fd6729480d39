using System.Text.Json.Nodes;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Resources;
using Reconciler.Specs.Schema;

namespace Reconciler.Specs.Reference;

/// <summary>
/// The reference a spec author reads (<c>reconciler explain</c>, docs/kinds.md), made from the same schemas the
/// validator runs: the two file kinds (inventory, resources) and every resource kind, a section of a resources file.
/// </summary>
public sealed class SpecReference
{
    public const string InventoryName = "inventory";

    public const string ResourcesName = "resources";

    private const int MaxShownName = 64;

    private SpecReference(KindReference inventory, KindReference resources, IReadOnlyList<KindReference> kinds)
    {
        Inventory = inventory;
        Resources = resources;
        Kinds = kinds;
    }

    /// <summary>The inventory file: hosts, groups, variables.</summary>
    public KindReference Inventory { get; }

    /// <summary>A resources file's own keys (kind, target); its sections are <see cref="Kinds"/>.</summary>
    public KindReference Resources { get; }

    /// <summary>
    /// The sections of a resources file, in catalog order; a section's examples are its own, each in a file of its own,
    /// then the resources file examples that use it.
    /// </summary>
    public IReadOnlyList<KindReference> Kinds { get; }

    /// <summary>The reference for the kinds of <paramref name="catalog"/>.</summary>
    public static SpecReference Of(KindCatalog catalog)
    {
        var resources = JsonNode.Parse(ResourceSchema.Resources(catalog.All))!.AsObject();
        var inventory = JsonNode.Parse(SpecSchemas.InventoryText)!.AsObject();
        var sections = catalog.All.SelectMany(k => k.Sections).ToHashSet();
        var fileKeys = resources["properties"]!.AsObject().Where(p => !sections.Contains(p.Key)).ToList();
        var target = resources["properties"]!["target"]!["examples"]?[0] ?? new JsonObject { ["group"] = "all" };

        // Whole files the schema shows (a section that needs another, as apt needs packages, is shown in one of these).
        var files = (resources["examples"]?.AsArray() ?? []).Select(e => e!.AsObject()).ToList();
        var resourceFields = new SchemaFields(resources);
        var kinds = resources["properties"]!.AsObject()
            .Where(p => sections.Contains(p.Key))
            .Select(p =>
            {
                var schema = resourceFields.Resolve(p.Value!);
                return new KindReference(
                    p.Key,
                    Summary(schema),
                    resourceFields.Field(p.Key, p.Key, p.Value!, required: false),
                    (schema["examples"]?.AsArray() ?? [])
                        .Select(e => new JsonObject { ["kind"] = ResourcesName, ["target"] = target.DeepClone(), [p.Key] = e!.DeepClone() })
                        .Concat(files.Where(f => f.ContainsKey(p.Key)))
                        .Select(YamlText.Document)
                        .ToList());
            })
            .ToList();

        return new SpecReference(File(InventoryName, inventory, null), File(ResourcesName, resources, fileKeys), kinds);
    }

    /// <summary>
    /// The kind or field <paramref name="path"/> names (KIND, KIND.FIELD, KIND.FIELD.FIELD: a list's items and a map's
    /// values are seen through), or one line saying why nothing is, with the closest name.
    /// </summary>
    public ReferenceLookup Find(string path)
    {
        var names = path.Split('.');
        if (names.Any(n => n.Length == 0)) return ReferenceLookup.Missing($"'{Shown(path)}' is not KIND or KIND.FIELD (names joined by single dots)");
        var all = Kinds.Prepend(Resources).Prepend(Inventory).ToList();
        if (all.FirstOrDefault(k => k.Name == names[0]) is not { } kind)
        {
            return ReferenceLookup.Missing($"no kind '{Shown(names[0])}'{DidYouMean.Suggest(names[0], all.Select(k => k.Name))} ('reconciler explain' lists the kinds)");
        }

        var field = kind.Field;
        foreach (var name in names.Skip(1))
        {
            if (field.Fields.FirstOrDefault(f => f.Name == name) is not { } next)
            {
                return ReferenceLookup.Missing(field.Fields.Count == 0
                    ? $"{field.Path} has no fields, so no '{Shown(name)}'"
                    : $"{field.Path} has no field '{Shown(name)}'{DidYouMean.Suggest(name, field.Fields.Select(f => f.Name))} (its fields: {string.Join(", ", field.Fields.Select(f => f.Name))})");
            }

            field = next;
        }

        return new ReferenceLookup(kind, field, null);
    }

    /// <summary>A name as typed, cut where it could not be a typo of any real name (the message stays one short line).</summary>
    private static string Shown(string name) => name.Length <= MaxShownName ? name : name[..MaxShownName] + "…";

    private static KindReference File(string name, JsonObject schema, IReadOnlyList<KeyValuePair<string, JsonNode?>>? keys)
    {
        var fields = new SchemaFields(schema);
        var root = fields.Field(name, name, schema, required: false);
        if (keys is not null)
        {
            var wanted = keys.Select(k => k.Key).ToHashSet();
            root = root with { Fields = root.Fields.Where(f => wanted.Contains(f.Name)).ToList() };
        }

        return new KindReference(
            name,
            FirstSentence(schema),
            root with { Examples = [] },
            (schema["examples"]?.AsArray() ?? []).Select(e => YamlText.Document(e!.AsObject())).ToList());
    }

    /// <summary>A kind's title (one short line), or failing that its description's first sentence.</summary>
    private static string Summary(JsonObject schema) =>
        schema["title"] is JsonValue title ? title.GetValue<string>() : FirstSentence(schema);

    private static string FirstSentence(JsonObject schema)
    {
        var description = schema["description"] is JsonValue d ? d.GetValue<string>() : "";
        var end = description.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? description : description[..(end + 1)];
    }
}

/// <summary>What <see cref="SpecReference.Find"/> found: a kind and the field in it (the kind's own field for KIND), or why not.</summary>
public sealed record ReferenceLookup(KindReference? Kind, FieldReference? Field, string? Error)
{
    public static ReferenceLookup Missing(string error) => new(null, null, error);
}
