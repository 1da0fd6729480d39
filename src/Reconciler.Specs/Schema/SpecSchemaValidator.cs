using System.Globalization;
using System.Text;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Specs;
using Reconciler.Specs.Yaml;

namespace Reconciler.Specs.Schema;

/// <summary>Validates a spec tree against its kind's JSON Schema and phrases each error for a human, at its YAML node.</summary>
internal static class SpecSchemaValidator
{
    public static IReadOnlyList<Diagnostic> Validate(SpecNode root, JsonSchema schema)
    {
        var json = SpecJson.From(root);
        var leaves = new List<ValidationError>();
        var pending = new Stack<ValidationError>(schema.Validate(json.Root).Reverse());
        while (pending.Count > 0)
        {
            var error = pending.Pop();

            // Container errors ("item 2 is not valid") only wrap the specific ones; a failed type union is one error.
            if (error is ChildSchemaValidationError child && error.Kind != ValidationErrorKind.NoTypeValidates)
            {
                foreach (var nested in child.Errors.Values.SelectMany(e => e).Reverse())
                {
                    pending.Push(nested);
                }

                continue;
            }

            leaves.Add(error);
        }

        return leaves
            .Select(error => ToDiagnostic(error, json, root))
            .Distinct()
            .OrderBy(d => d.Location.Line)
            .ThenBy(d => d.Location.Column)
            .ToList();
    }

    private static Diagnostic ToDiagnostic(ValidationError error, SpecJson json, SpecNode root)
    {
        var token = error.Token;
        var location = (json.OriginOf(token) ?? root).Location;
        var schema = error.Schema?.ActualSchema;
        var (path, message) = error.Kind switch
        {
            ValidationErrorKind.PropertyRequired =>
                (PathOf(token), $"missing required property '{error.Property}'"),
            ValidationErrorKind.NoAdditionalPropertiesAllowed =>
                (PathOf(token?.Parent), NotAllowed(error.Property ?? "", schema)),
            ValidationErrorKind.NoTypeValidates or ValidationErrorKind.StringExpected
                or ValidationErrorKind.IntegerExpected or ValidationErrorKind.NumberExpected
                or ValidationErrorKind.BooleanExpected or ValidationErrorKind.ObjectExpected
                or ValidationErrorKind.ArrayExpected or ValidationErrorKind.NullExpected =>
                (PathOf(token), $"expected {Describe(schema?.Type ?? JsonObjectType.None)}, got {Describe(token)}"),
            ValidationErrorKind.NotInEnumeration =>
                (PathOf(token), NotInEnumeration(token, schema)),
            ValidationErrorKind.PatternMismatch =>
                (PathOf(token), $"'{ValueText(token)}' does not match the pattern {SpecSchemas.AsWritten(schema?.Pattern ?? "")}"),
            ValidationErrorKind.StringTooShort =>
                (PathOf(token), schema?.MinLength == 1 ? "must not be empty" : $"must be at least {schema?.MinLength} characters"),
            ValidationErrorKind.NumberTooBig or ValidationErrorKind.IntegerTooBig =>
                (PathOf(token), $"{ValueText(token)} is greater than the maximum {schema?.Maximum}"),
            ValidationErrorKind.NumberTooSmall =>
                (PathOf(token), $"{ValueText(token)} is less than the minimum {schema?.Minimum}"),
            ValidationErrorKind.TooFewProperties or ValidationErrorKind.TooManyProperties =>
                (PathOf(token), PropertyCount(schema)),
            ValidationErrorKind.ItemsNotUnique =>
                (PathOf(token), "items must be unique"),
            _ => (PathOf(token), Humanize(error.Kind.ToString())),
        };
        return Diagnostic.Error(DiagnosticCodes.Schema, path.Length == 0 ? message : $"{path}: {message}", location);
    }

    private static string PathOf(JToken? token) => token?.Path ?? "";

    private static string NotAllowed(string property, JsonSchema? schema)
    {
        var allowed = schema?.ActualProperties.Keys.ToList() ?? [];
        if (allowed.Count == 0 && schema?.PatternProperties.Count > 0)
        {
            return $"name '{property}' is not allowed; names must match {string.Join(" or ", schema.PatternProperties.Keys.Select(SpecSchemas.AsWritten))}";
        }

        var suggestion = DidYouMean.Suggest(property, allowed);
        return suggestion.Length > 0
            ? $"property '{property}' is not allowed{suggestion}"
            : $"property '{property}' is not allowed; allowed: {string.Join(", ", allowed)}";
    }

    private static string NotInEnumeration(JToken? token, JsonSchema? schema)
    {
        var allowed = schema?.Enumeration.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "null").ToList() ?? [];
        var value = ValueText(token);
        return $"'{value}' is not one of {string.Join(", ", allowed.Select(a => $"'{a}'"))}{DidYouMean.Suggest(value, allowed)}";
    }

    private static string PropertyCount(JsonSchema? schema)
    {
        var names = string.Join(", ", schema?.ActualProperties.Keys.Select(k => $"'{k}'") ?? []);
        return schema is { MinProperties: 1, MaxProperties: 1 }
            ? $"expected exactly one of {names}"
            : $"expected between {schema?.MinProperties} and {schema?.MaxProperties} properties";
    }

    /// <summary>Control characters escaped: a hostile value must not carry a newline or escape sequence into a message.</summary>
    private static string ValueText(JToken? token) => PathRules.Printable(token is JValue { Value: var value }
        ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null"
        : token?.ToString() ?? "");

    /// <summary>Type names as YAML users know them, alphabetical so unions read the same everywhere.</summary>
    private static string Describe(JsonObjectType types)
    {
        var names = new List<string>();
        if (types.HasFlag(JsonObjectType.Boolean)) names.Add("boolean");
        if (types.HasFlag(JsonObjectType.Integer)) names.Add("integer");
        if (types.HasFlag(JsonObjectType.Array)) names.Add("list");
        if (types.HasFlag(JsonObjectType.Object)) names.Add("mapping");
        if (types.HasFlag(JsonObjectType.Null)) names.Add("null");
        if (types.HasFlag(JsonObjectType.Number)) names.Add("number");
        if (types.HasFlag(JsonObjectType.String)) names.Add("string");
        return names.Count == 0 ? "another type" : string.Join(" or ", names);
    }

    private static string Describe(JToken? token) => token?.Type switch
    {
        JTokenType.Object => "mapping",
        JTokenType.Array => "list",
        JTokenType.Integer => "integer",
        JTokenType.Float => "number",
        JTokenType.Boolean => "boolean",
        JTokenType.Null or null => "null",
        _ => "string",
    };

    private static string Humanize(string pascalCase)
    {
        var text = new StringBuilder();
        foreach (var c in pascalCase)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
