namespace Reconciler.Cli.Redaction;

/// <summary>Every report, plan file and step summary is written here, so each passes the redactor on its way to disk.</summary>
internal sealed class OutputFiles(RedactionScope redaction)
{
    public Task WriteAsync(string path, string text, CancellationToken ct) =>
        File.WriteAllTextAsync(path, redaction.Redact(text), ct);

    public Task AppendAsync(string path, string text, CancellationToken ct) =>
        File.AppendAllTextAsync(path, redaction.Redact(text), ct);
}
