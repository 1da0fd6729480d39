using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Permissions;

/// <summary>
/// Permission bits that must be clear on a path and (when <paramref name="Recursive"/>) everything under it on the same
/// filesystem, except the <paramref name="Exclude"/>d subtrees. <paramref name="Remove"/> is a normalized clear-only
/// symbolic mode such as "g-w" or "g-w,o-w" (see <see cref="RemovedBits"/>). Symbolic links are never changed.
/// </summary>
public sealed record PermissionsResource(
    string Path,
    bool Recursive,
    string Remove,
    IReadOnlyList<string> Exclude,
    SourceLocation Source) : Resource(Source)
{
    public const string KindName = "permissions";

    public override ResourceAddress Address => new(KindName, $"{Path} {Remove}");

    /// <summary>Whether <see cref="Path"/> is a glob pattern (<c>/home/*</c>), expanded on the host, each match planned as its own resource.</summary>
    public bool Glob { get; init; }

    /// <summary>
    /// Whether the <see cref="Exclude"/> entries are patterns (as <c>find -path</c> and <c>case</c> match them: '*' also
    /// matches '/'): the spec reader sets it when the path is a glob or an exclude holds '*', '?' or '['.
    /// </summary>
    public bool ExcludePatterns { get; init; }

    /// <summary>The bits <see cref="Remove"/> clears, as a mode mask (e.g. 0020 for g-w).</summary>
    public int Mask => RemovedBits.Mask(Remove);

    /// <summary>
    /// Whether <paramref name="path"/> is <see cref="Path"/> or under it and not in an excluded subtree; false for patterns,
    /// which only the host can match (a declared mode they clear is not found before the plan).
    /// </summary>
    public bool Covers(string path) =>
        !Glob && !ExcludePatterns && (path == Path || (Recursive && IsUnder(path, Path))) && !Exclude.Any(e => path == e || IsUnder(path, e));

    public static bool IsUnder(string path, string directory) =>
        directory == "/" ? path.Length > 1 && path.StartsWith('/') : path.StartsWith(directory + "/", StringComparison.Ordinal);
}
