using System.Reflection;
using System.Text.Json;
using Reconciler.Core.Model;

namespace Reconciler.Core.Tests.Schemas;

/// <summary>Every resource kind the engine can plan is one the published plan schema accepts.</summary>
public sealed class PlanSchemaKindsTests
{
    [Fact]
    public void Every_resource_kind_is_in_the_plan_schema()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schemas", "plan.schema.json")));
        var allowed = FindKindEnum(schema.RootElement)!.Value.EnumerateArray().Select(e => e.GetString()).ToHashSet();

        var kinds = typeof(Resource).Assembly.GetTypes()
            .Where(t => typeof(Resource).IsAssignableFrom(t) && !t.IsAbstract)
            .Select(t => t.GetField("KindName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string)
            .OfType<string>()
            .ToList();

        Assert.Contains("mariadb_rows", kinds);
        Assert.All(kinds, kind => Assert.Contains(kind, allowed));
    }

    /// <summary>The enum under the first "kind" property that has one (the plan's resource changes).</summary>
    private static JsonElement? FindKindEnum(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "kind" && property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("enum", out var values))
                {
                    return values;
                }

                if (FindKindEnum(property.Value) is { } found)
                {
                    return found;
                }
            }
        }

        return null;
    }
}
