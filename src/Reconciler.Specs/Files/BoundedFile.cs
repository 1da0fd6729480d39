namespace Reconciler.Specs.Files;

/// <summary>Reads at most a limit (plus one byte, to know it was exceeded), whatever size the file claims to have.</summary>
internal static class BoundedFile
{
    /// <summary>The bytes, or null with the size seen when the file is larger than <paramref name="maxBytes"/>.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static (byte[]? Bytes, long Size) Read(string fullPath, long maxBytes)
    {
        using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (stream.CanSeek && stream.Length > maxBytes)
        {
            return (null, stream.Length);
        }

        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, maxBytes + 1 - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                return (null, buffer.Length);
            }
        }

        return (buffer.ToArray(), buffer.Length);
    }
}
