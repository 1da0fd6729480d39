using Reconciler.Core.Diagnostics;

namespace Reconciler.Specs.Files;

/// <summary>
/// The one door to files a spec makes the controller read (the spec files themselves, templates, list files): each
/// must resolve — symbolic links followed one hop at a time — to a regular file inside the specs directory, or it is
/// refused with the rule it breaks, before a byte of it is read. A pull request controls these paths, and the
/// controller holds the SSH key and the secrets.
/// </summary>
internal sealed class SpecsRoot
{
    /// <summary>Like the kernel's limit: a chain of links longer than this is a loop or an attack.</summary>
    private const int MaxLinkHops = 40;

    public SpecsRoot(string directory)
    {
        // The root's own spelling may pass through links (/tmp on some systems); only what is below it is confined.
        var full = Path.GetFullPath(directory);
        Directory = Resolve("/", full.TrimStart('/'), confine: false).Path ?? full;
    }

    /// <summary>The real path of the specs directory.</summary>
    public string Directory { get; }

    /// <summary>
    /// The real path of a file a spec names (<paramref name="written"/>, relative to <paramref name="fromDirectory"/>),
    /// or null when it is refused (reported at <paramref name="at"/>). A path that does not exist is returned as it is,
    /// for the caller to report as missing.
    /// </summary>
    /// <param name="what">How the message names the field, e.g. "template" or "list file".</param>
    public string? Resolve(string written, string fromDirectory, string what, SourceLocation at, ICollection<Diagnostic> diagnostics)
    {
        var problem = Problem(written, fromDirectory, out var resolved);
        if (problem is null)
        {
            return resolved;
        }

        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.OutsideSpecs, $"{what} '{Printable(written)}' is refused: {problem}", at));
        return null;
    }

    /// <summary>Why a spec file found by listing the directory may not be read (a link leading out, a FIFO), or null.</summary>
    /// <param name="relative">The file's path relative to the specs directory.</param>
    public string? ProblemWithListed(string relative) => Problem(relative, Directory, out _);

    private string? Problem(string written, string fromDirectory, out string? resolved)
    {
        resolved = null;
        if (written.Length == 0 || written.Any(char.IsControl))
        {
            return "a file name must not be empty or contain control characters (NUL, newline, ...)";
        }

        if (written.StartsWith('/') || written.StartsWith('~'))
        {
            return "files named in specs are relative to the YAML file and stay inside the specs directory; absolute paths are not allowed";
        }

        var from = Path.GetRelativePath(Directory, fromDirectory);
        if (from == ".." || from.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(from))
        {
            return "the file naming it is outside the specs directory";
        }

        var (path, problem) = Resolve(Directory, Path.Join(from == "." ? "" : from, written), confine: true);
        if (problem is not null)
        {
            return problem;
        }

        if (System.IO.Directory.Exists(path))
        {
            return "it is a directory, not a file";
        }

        if (File.Exists(path) && !UnixFileType.IsRegularFile(path!))
        {
            return "it is not a regular file (a device, FIFO or socket)";
        }

        resolved = path;
        return null;
    }

    /// <summary>
    /// Walks <paramref name="relative"/> from <paramref name="start"/> one component at a time, replacing each symbolic
    /// link by its target, so the result is the real path; when confined, every step must stay inside the root.
    /// </summary>
    private (string? Path, string? Problem) Resolve(string start, string relative, bool confine)
    {
        var current = start;
        var pending = new Stack<string>(Components(relative).Reverse());
        var hops = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                if (confine && !IsInside(current))
                {
                    return (null, "it leads outside the specs directory ('..')");
                }

                continue;
            }

            var next = current == "/" ? "/" + part : current + "/" + part;
            string? target;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                target = null;
            }

            if (target is null)
            {
                current = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                return (null, "it goes through too many symbolic links");
            }

            if (target.StartsWith('/'))
            {
                current = "/";
                if (confine)
                {
                    var full = Path.GetFullPath(target);
                    if (!IsInside(full))
                    {
                        return (null, "it is a symbolic link that resolves outside the specs directory");
                    }
                }
            }

            foreach (var component in Components(target).Reverse())
            {
                pending.Push(component);
            }
        }

        return confine && !IsInside(current) ? (null, "it leads outside the specs directory") : (current, null);
    }

    private bool IsInside(string path) =>
        path == Directory || path.StartsWith(Directory == "/" ? "/" : Directory + "/", StringComparison.Ordinal);

    private static IEnumerable<string> Components(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()));
}
