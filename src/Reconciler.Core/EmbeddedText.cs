using System.Text;

namespace Reconciler.Core;

/// <summary>
/// Text files compiled into this assembly next to the code that uses them (shell libraries, schema fragments). A
/// missing one is a build mistake: it fails with its name and <c>fix</c>, never reads as empty text.
/// </summary>
internal static class EmbeddedText
{
    /// <summary>The resource <paramref name="resourceName"/> as UTF-8, line ends as LF.</summary>
    public static string Read(string resourceName, string fix)
    {
        var assembly = typeof(EmbeddedText).Assembly;
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"{resourceName} is not embedded in {assembly.GetName().Name}: {fix}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        // A checkout that turned line ends into CRLF must not send a carriage return to sh, nor differ from a generated file.
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
