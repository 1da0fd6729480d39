namespace Reconciler.Cli.Redaction;

/// <summary>Every report, plan file and step summary is written here, so each passes the redactor on its way to disk.</summary>
internal sealed class OutputFiles(RedactionScope redaction)
{
    public Task WriteAsync(string path, string text, CancellationToken ct) =>
        File.WriteAllTextAsync(path, redaction.Redact(text), ct);

    /// <summary>
    /// Writes <paramref name="path"/> whole or not at all, and never through a link planted there or beside it: the text
    /// goes to a new file of a random name in the same directory (created exclusively, so an existing file or link of
    /// that name fails the write rather than being followed), which is then renamed over <paramref name="path"/> —
    /// rename(2) replaces a link at <paramref name="path"/> itself, never its target. For files in a directory that a
    /// cache or an artifact fills (the drift report directory), where a link could have been restored.
    /// </summary>
    public async Task ReplaceAsync(string path, string text, CancellationToken ct)
    {
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None }))
            await using (var writer = new StreamWriter(stream))
            {
                await writer.WriteAsync(redaction.Redact(text).AsMemory(), ct);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public Task AppendAsync(string path, string text, CancellationToken ct) =>
        File.AppendAllTextAsync(path, redaction.Redact(text), ct);
}
