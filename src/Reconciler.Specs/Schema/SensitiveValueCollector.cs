using Newtonsoft.Json.Linq;
using NJsonSchema;

namespace Reconciler.Specs.Schema;

/// <summary>
/// Finds secrets in a spec by the schema's <c>x-sensitive</c> keyword, so a new secret-holding field is protected by
/// marking it in the schema rather than by code. A marked property is secret when its object has <c>sensitive: true</c>,
/// or always when the object's schema has no <c>sensitive</c> switch. Runs before semantic checks, so even a spec
/// that fails validation has its secrets masked in the diagnostics printed about it.
/// </summary>
internal static class SensitiveValueCollector
{
    public const string Keyword = "x-sensitive";
    public const string Switch = "sensitive";

    public static IReadOnlyList<string> Collect(JToken root, JsonSchema schema)
    {
        var found = new List<string>();
        var pending = new Stack<(JToken Token, JsonSchema Schema)>();
        pending.Push((root, schema));
        while (pending.Count > 0)
        {
            var (token, current) = pending.Pop();
            var actual = current.ActualSchema;
            switch (token)
            {
                case JObject obj:
                    var properties = actual.ActualProperties;
                    var switchedOn = !properties.ContainsKey(Switch) || obj[Switch] is JValue { Value: true };
                    foreach (var property in obj.Properties())
                    {
                        if (!properties.TryGetValue(property.Name, out var propertySchema)) continue;
                        if (IsMarked(propertySchema) && switchedOn && property.Value is JValue { Value: { } value })
                        {
                            found.Add(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
                        }
                        else
                        {
                            pending.Push((property.Value, propertySchema));
                        }
                    }

                    break;
                case JArray array when actual.Item is { } itemSchema:
                    foreach (var item in array)
                    {
                        pending.Push((item, itemSchema));
                    }

                    break;
            }
        }

        return found;
    }

    private static bool IsMarked(JsonSchema schema) => Marked(schema) || Marked(schema.ActualSchema);

    private static bool Marked(JsonSchema schema) =>
        schema.ExtensionData is { } data && data.TryGetValue(Keyword, out var value) && value is true;
}
