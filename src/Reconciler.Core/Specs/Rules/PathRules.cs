namespace Reconciler.Core.Specs;

/// <summary>
/// Managed paths on a host must be absolute and normalized, so one file has exactly one spelling (and one address):
/// no '..', '.', '//', trailing slash, NUL, newline or other control character, at most PATH_MAX.
/// </summary>
public static class PathRules
{
    /// <summary>Linux's PATH_MAX, terminating NUL excluded.</summary>
    public const int MaxLength = 4095;

    /// <summary>Returns why the path is unacceptable, or null.</summary>
    public static string? Problem(string path)
    {
        if (path.Contains('\0') || path.Contains('\n') || path.Contains('\r'))
        {
            return $"path '{Printable(path)}' contains a NUL or newline character";
        }

        if (path.Any(char.IsControl))
        {
            return $"path '{Printable(path)}' contains a control character";
        }

        if (path.Length > MaxLength)
        {
            return $"path is {path.Length} characters long; the limit is {MaxLength}";
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

    /// <summary>Control characters shown as escapes, so a message never carries them to a terminal or log.</summary>
    public static string Printable(string text) => Text.VisibleText.Exact(text);
}
