namespace Reconciler.Core.Resources;

/// <summary>A kind's JSON Schema fragment, embedded in this assembly next to the kind's code.</summary>
internal static class SchemaFragment
{
    /// <summary>The fragment <paramref name="fileName"/> in the folder (namespace) of <paramref name="kind"/>.</summary>
    public static string Of(Type kind, string fileName) =>
        EmbeddedText.Read($"{kind.Namespace}.{fileName}", "a kind's *.schema.json next to its code is embedded by Reconciler.Core.csproj");
}
