namespace Reconciler.Core.Resources;

/// <summary>A kind's JSON Schema fragment, embedded in this assembly next to the kind's code.</summary>
internal static class SchemaFragment
{
    /// <summary>The fragment <paramref name="fileName"/> in the folder (namespace) of <paramref name="kind"/>.</summary>
    public static string Of(Type kind, string fileName)
    {
        var name = $"{kind.Namespace}.{fileName}";
        using var stream = kind.Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded schema fragment {name} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
