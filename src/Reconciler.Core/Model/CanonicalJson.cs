using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Reconciler.Core.Diagnostics;

namespace Reconciler.Core.Model;

/// <summary>
/// One byte-exact JSON form for a value, so equal values hash equally across runs and machines: object keys sorted
/// ordinally, sets sorted, no whitespace. Where a resource was declared (<see cref="SourceLocation"/>) is left out:
/// moving a declaration or adding a comment line does not change what a host must look like.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter(), new SortedSetConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { WithoutSourceLocations } },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(object? value) =>
        value is null ? "null" : Sort(JsonSerializer.SerializeToNode(value, value.GetType(), Options))?.ToJsonString(Options) ?? "null";

    /// <summary>"sha256:" and the lowercase hex SHA-256 of <paramref name="text"/> as UTF-8.</summary>
    public static string Sha256(string text) =>
        "sha256:" + Sha256Text.Hex(text);

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sort(p.Value?.DeepClone())))),
        JsonArray a => new JsonArray(a.Select(e => Sort(e?.DeepClone())).ToArray()),
        _ => node?.DeepClone(),
    };

    private static void WithoutSourceLocations(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object) return;
        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (info.Properties[i].PropertyType == typeof(SourceLocation)) info.Properties.RemoveAt(i);
        }
    }

    /// <summary>Hash sets enumerate in no fixed order; written sorted they compare as the sets they are.</summary>
    private sealed class SortedSetConverter : JsonConverter<IReadOnlySet<string>>
    {
        public override IReadOnlySet<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("canonical JSON is written, never read");

        public override void Write(Utf8JsonWriter writer, IReadOnlySet<string> value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (var item in value.Order(StringComparer.Ordinal)) writer.WriteStringValue(item);
            writer.WriteEndArray();
        }
    }
}
