using Reconciler.Core.Diagnostics;
using Reconciler.Core.Specs;

namespace Reconciler.Specs.Files;

/// <summary>
/// The one door to files a spec makes the controller read (the spec files themselves, templates, list files): each
/// must resolve — symbolic links followed one component at a time, inside the tree — to a regular file inside the
/// specs directory, or it is refused with the rule it breaks, before a byte of it is read. A pull request controls
/// these paths (and, read out of git, the tree itself), and the controller holds the SSH key and the secrets. The same
/// walk serves a directory on disk and a git tree (<see cref="ISpecTree"/>), so the two cannot drift apart.
/// </summary>
internal sealed class SpecsRoot(ISpecTree tree)
{
    /// <summary>Like the kernel's limit: a chain of links longer than this is a loop or an attack.</summary>
    public const int MaxLinkHops = 40;

    public ISpecTree Tree => tree;

    /// <summary>Where a tree path is on disk (or would be, for a git tree): what diagnostics show, made relative.</summary>
    public string Full(string relative) =>
        relative.Length == 0 ? tree.Location : tree.Location == "/" ? "/" + relative : tree.Location + "/" + relative;

    /// <summary>
    /// The resolved tree path of a file a spec names (<paramref name="written"/>, relative to the tree directory
    /// <paramref name="fromDirectory"/>), or null when it is refused (reported at <paramref name="at"/>). A path that
    /// does not exist is returned as it is, for the caller to report as missing.
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

    /// <summary>Why a spec file found by listing the tree may not be read (a link leading out, a FIFO), or null.</summary>
    /// <param name="relative">The file's path in the tree.</param>
    public string? ProblemWithListed(string relative) => Problem(relative, "", out _);

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

        var (path, problem) = Resolve(fromDirectory.Length == 0 ? written : fromDirectory + "/" + written);
        if (problem is not null)
        {
            return problem;
        }

        switch (tree.EntryAt(path!))
        {
            case SpecTreeEntry.Directory:
                return "it is a directory, not a file";
            case SpecTreeEntry.Other:
                return "it is not a regular file (a device, FIFO or socket)";
        }

        resolved = path;
        return null;
    }

    /// <summary>
    /// Walks <paramref name="relative"/> from the root one component at a time, replacing each symbolic link by its
    /// target, so the result is a path in the tree with no link in it; no step may leave the tree.
    /// </summary>
    private (string? Path, string? Problem) Resolve(string relative)
    {
        var current = new List<string>();
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
                if (current.Count == 0)
                {
                    return (null, "it leads outside the specs directory ('..')");
                }

                current.RemoveAt(current.Count - 1);
                continue;
            }

            current.Add(part);
            var here = string.Join('/', current);
            if (tree.EntryAt(here) != SpecTreeEntry.SymbolicLink)
            {
                continue; // a missing component stays missing below: the caller reports the file as not found
            }

            if (++hops > MaxLinkHops)
            {
                return (null, "it goes through too many symbolic links");
            }

            current.RemoveAt(current.Count - 1);
            var target = tree.LinkTarget(here);
            if (target.Length == 0 || target.Any(char.IsControl))
            {
                return (null, "it is a symbolic link whose target is empty or holds control characters");
            }

            if (target.StartsWith('/'))
            {
                // Absolute: followed only when it names a place below the tree's location, then walked inside the tree.
                var full = Path.GetFullPath(target);
                if (full != tree.Location && !full.StartsWith(tree.Location == "/" ? "/" : tree.Location + "/", StringComparison.Ordinal))
                {
                    return (null, "it is a symbolic link that resolves outside the specs directory");
                }

                current.Clear();
                target = Path.GetRelativePath(tree.Location, full);
            }

            foreach (var component in Components(target).Reverse())
            {
                pending.Push(component);
            }
        }

        return (string.Join('/', current), null);
    }

    private static IEnumerable<string> Components(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static string Printable(string text) => Core.Text.VisibleText.Exact(text);
}
