using NJsonSchema;

namespace Reconciler.Specs.Schema;

/// <summary>
/// The JSON Schemas embedded in this assembly (linked from /schemas, where editors find them), parsed once.
/// </summary>
internal static class SpecSchemas
{
    private static readonly Lazy<JsonSchema> Inventory = new(() => Load("inventory.schema.json"));
    private static readonly Lazy<JsonSchema> Resources = new(() => Load("resources.schema.json"));

    public static JsonSchema For(SpecFileKind kind) => kind switch
    {
        SpecFileKind.Inventory => Inventory.Value,
        SpecFileKind.Resources => Resources.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static JsonSchema Load(string fileName)
    {
        var resourceName = $"Reconciler.Specs.Schemas.{fileName}";
        using var stream = typeof(SpecSchemas).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"embedded schema {resourceName} is missing from the build");
        using var reader = new StreamReader(stream);
        var json = reader.ReadToEnd();

        // FromJsonAsync completes without real I/O (no external $refs); Task.Run avoids capturing a caller's context.
        return Task.Run(() => JsonSchema.FromJsonAsync(json)).GetAwaiter().GetResult();
    }
}
