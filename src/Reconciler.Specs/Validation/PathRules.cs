namespace Reconciler.Specs.Validation;

/// <summary>Managed paths must be absolute and normalized, so one file has exactly one spelling (and one address).</summary>
internal static class PathRules
{
    /// <summary>Returns why the path is unacceptable, or null.</summary>
    public static string? Problem(string path)
    {
        if (path.Contains('\0') || path.Contains('\n') || path.Contains('\r'))
        {
            return $"path '{Printable(path)}' contains a NUL or newline character";
        }

        if (!path.StartsWith('/'))
        {
            return $"path '{path}' is not absolute";
        }

        if (path == "/")
        {
            return null;
        }

        var segments = path[1..].Split('/');
        var flaw = path.EndsWith('/') ? "a trailing slash"
            : segments.Contains("") ? "'//'"
            : segments.Contains(".") ? "'/./'"
            : segments.Contains("..") ? "'/../'"
            : null;
        return flaw is null ? null : $"path '{path}' is not normalized (it contains {flaw}); write '{Normalize(segments)}'";
    }

    private static string Normalize(IEnumerable<string> segments)
    {
        var kept = new List<string>();
        foreach (var segment in segments)
        {
            switch (segment)
            {
                case "" or ".":
                    break;
                case "..":
                    if (kept.Count > 0)
                    {
                        kept.RemoveAt(kept.Count - 1);
                    }

                    break;
                default:
                    kept.Add(segment);
                    break;
            }
        }

        return "/" + string.Join('/', kept);
    }

    private static string Printable(string text) => text.Replace("\0", "\\0").Replace("\n", "\\n").Replace("\r", "\\r");
}
