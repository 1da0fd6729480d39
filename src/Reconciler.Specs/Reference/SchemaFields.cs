using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reconciler.Specs.Reference;

/// <summary>
/// Reads <see cref="FieldReference"/>s out of one JSON Schema document: local <c>$ref</c>s are followed (a description
/// beside a <c>$ref</c> wins over the definition's), a list's items and a map's values are seen through, and each
/// alternative of a <c>oneOf</c> adds its type, rules and keys.
/// </summary>
internal sealed class SchemaFields(JsonObject document)
{
    private const string DefinitionsPrefix = "#/definitions/";

    /// <summary>The field <paramref name="name"/> at <paramref name="path"/>, described by <paramref name="schema"/>.</summary>
    public FieldReference Field(string name, string path, JsonNode schema, bool required)
    {
        var own = Resolve(schema);
        var alternatives = Alternatives(own);
        var inner = alternatives.Select(Inner).OfType<JsonObject>().ToList();
        var holders = alternatives.Concat(inner).Where(s => s["properties"] is JsonObject).ToList();
        var requiredNames = holders.SelectMany(s => s["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? []).ToHashSet();
        var innerDescription = inner.Select(s => Text(s, "description")).FirstOrDefault(d => d.Length > 0);
        var description = Text(own, "description");
        if (innerDescription is not null && innerDescription != description)
        {
            description = (description + " " + (IsList(own) ? "Each item: " : "Each value: ") + innerDescription).Trim();
        }

        return new FieldReference
        {
            Name = name,
            Path = path,
            Type = string.Join(" or ", alternatives.Select(a => alternatives.Count > 1 ? Alternative(a) : TypeOf(a)).Distinct()),
            Required = required,
            Default = own["default"] is { } value ? Yaml(value) : null,
            Allowed = (alternatives.Count > 1 ? inner : alternatives.Concat(inner)).SelectMany(s => s["enum"]?.AsArray() ?? []).Select(Yaml).Distinct().ToList(),
            Rules = alternatives.SelectMany(Rules).Concat(inner.SelectMany(s => Rules(s).Select(r => (IsList(own) ? "each item: " : "each value: ") + r))).Distinct().ToList(),
            Sensitive = alternatives.Concat(inner).Any(s => s["x-sensitive"]?.GetValue<bool>() == true),
            Description = description,
            Examples = (own["examples"]?.AsArray() ?? []).Select(e => YamlText.Entry(name, e)).ToList(),
            Schema = own,
            Fields = holders
                .SelectMany(s => s["properties"]!.AsObject())
                .DistinctBy(p => p.Key)
                .Select(p => Field(p.Key, path + "." + p.Key, p.Value!, requiredNames.Contains(p.Key)))
                .ToList(),
        };
    }

    /// <summary>The schema with its <c>$ref</c> replaced by the definition, the keywords beside the <c>$ref</c> kept over it.</summary>
    public JsonObject Resolve(JsonNode schema)
    {
        var current = schema.AsObject();
        for (var hops = 0; current["$ref"] is JsonValue reference && hops < 32; hops++)
        {
            var target = reference.GetValue<string>();
            if (!target.StartsWith(DefinitionsPrefix, StringComparison.Ordinal)
                || document["definitions"]?[target[DefinitionsPrefix.Length..]] is not JsonObject definition)
            {
                throw new InvalidOperationException($"schema reference '{target}' is not a definition of this schema");
            }

            var merged = (JsonObject)definition.DeepClone();
            foreach (var (key, value) in current.Where(p => p.Key != "$ref"))
            {
                merged[key] = value?.DeepClone();
            }

            current = merged;
        }

        return current;
    }

    private List<JsonObject> Alternatives(JsonObject schema) =>
        (schema["oneOf"] ?? schema["anyOf"]) is JsonArray choices ? choices.Select(c => Resolve(c!)).ToList() : [schema];

    /// <summary>What a list holds or a map maps to, resolved; null for anything else.</summary>
    private JsonObject? Inner(JsonObject schema) => schema switch
    {
        _ when schema["items"] is JsonObject items => Resolve(items),
        _ when schema["additionalProperties"] is JsonObject values => Resolve(values),
        _ when schema["patternProperties"] is JsonObject patterns && patterns.Count == 1 => Resolve(patterns.First().Value!),
        _ => null,
    };

    private static bool IsList(JsonObject schema) => Types(schema).Contains("array");

    private string TypeOf(JsonObject schema)
    {
        if (schema["oneOf"] is not null || schema["anyOf"] is not null) return string.Join(" or ", Alternatives(schema).Select(Alternative).Distinct());
        var types = Types(schema);
        if (types.Count == 0 && schema["enum"] is JsonArray values)
        {
            return values.Count == 1 ? YamlText.Scalar(values[0]) ?? "value" : values.All(v => v?.GetValueKind() == JsonValueKind.String) ? "string" : "value";
        }

        return types.Count == 0 ? "any value" : string.Join(" or ", types.Select(type => type switch
        {
            "array" => "list of " + Plural(Inner(schema) is { } items ? TypeOf(items) : "values"),
            "object" when Inner(schema) is { } values && schema["properties"] is null => "map of name → " + TypeOf(values),
            _ => type,
        }));
    }

    /// <summary>One choice of a <c>oneOf</c>: its values when it lists them (<c>auto</c>), its title when it has one, else its type.</summary>
    private string Alternative(JsonObject schema) => schema switch
    {
        _ when schema["enum"] is JsonArray values => string.Join(" or ", values.Select(Yaml)),
        _ when schema["title"] is JsonValue title => title.GetValue<string>(),
        _ => TypeOf(schema),
    };

    private static string Yaml(JsonNode? value) => YamlText.Scalar(value) ?? value?.ToJsonString() ?? "null";

    private static string Plural(string type) => type.Contains(' ', StringComparison.Ordinal) ? $"({type})" : type + "s";

    private static List<string> Types(JsonObject schema) => schema["type"] switch
    {
        JsonArray many => many.Select(t => t!.GetValue<string>()).ToList(),
        JsonValue one => [one.GetValue<string>()],
        _ => [],
    };

    private static IEnumerable<string> Rules(JsonObject schema)
    {
        var minimum = Number(schema, "minimum");
        var maximum = Number(schema, "maximum");
        if (minimum is not null && maximum is not null) yield return $"{minimum} to {maximum}";
        else if (minimum is not null) yield return $"at least {minimum}";
        else if (maximum is not null) yield return $"at most {maximum}";
        if (Number(schema, "exclusiveMinimum") is { } above) yield return $"more than {above}";
        if (Number(schema, "exclusiveMaximum") is { } below) yield return $"less than {below}";
        if (Number(schema, "minLength") is { } minLength) yield return minLength == "1" ? "not empty" : $"at least {minLength} characters";
        if (Number(schema, "maxLength") is { } maxLength) yield return $"at most {maxLength} characters";
        if (Number(schema, "minItems") is { } minItems) yield return minItems == "1" ? "at least one item" : $"at least {minItems} items";
        if (Number(schema, "maxItems") is { } maxItems) yield return $"at most {maxItems} items";
        if (schema["uniqueItems"]?.GetValue<bool>() == true) yield return "no duplicates";
        if (Number(schema, "minProperties") is { } minProperties && Number(schema, "maxProperties") is { } maxProperties && minProperties == maxProperties)
        {
            yield return $"exactly {minProperties} of its keys";
        }
        else if (Number(schema, "minProperties") is { } atLeast) yield return $"at least {atLeast} key(s)";
        if (schema["propertyNames"]?["pattern"] is JsonValue names) yield return $"names match {names.GetValue<string>()}";
        if (schema["patternProperties"] is JsonObject { Count: 1 } patterns) yield return $"names match {patterns.First().Key}";
        if (schema["pattern"] is JsonValue pattern) yield return $"pattern {pattern.GetValue<string>()}";
    }

    private static string? Number(JsonObject schema, string keyword) =>
        schema[keyword] is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            ? value.GetValue<decimal>().ToString(CultureInfo.InvariantCulture)
            : null;

    private static string Text(JsonObject schema, string keyword) => schema[keyword] is JsonValue v ? v.GetValue<string>() : "";
}
