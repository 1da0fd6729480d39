using Reconciler.Core.Diagnostics;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Files;

/// <summary>
/// A file or directory: content, ownership, mode and chattr attributes. Null means "not managed".
/// <paramref name="Attributes"/> lists the chattr flags that must be set; managed flags not listed must be clear.
/// </summary>
public sealed record FileResource(
    string Path,
    FileType Type,
    Ensure Ensure,
    WhenMissing WhenMissing,
    string? Content,
    string? Owner,
    string? Group,
    string? Mode,
    string? Attributes,
    bool Sensitive,
    SourceLocation Source) : Resource(Source), ITemplatedResource
{
    public const string KindName = "file";

    /// <summary>The chattr flags this tool manages; others (e.g. 'e' for extents) belong to the filesystem.</summary>
    public const string ManagedAttributes = "aiAdS";

    public override ResourceAddress Address => new(KindName, Path);

    /// <summary>
    /// Whether a symbolic link at <see cref="Path"/> is followed (<c>follow: true</c>): read and changed through to its
    /// target. Without it a link is blocked, so a local user who can write the directory cannot redirect a root write.
    /// </summary>
    public bool Follow { get; init; }

    /// <summary>
    /// Whether <see cref="Path"/> is a glob pattern (<c>/home/*</c>), expanded on the host: each match is planned as this
    /// declaration with the matched path. Mode, owner, group and attributes only (the spec reader refuses content).
    /// </summary>
    public bool Glob { get; init; }

    /// <summary>Where <see cref="Mode"/> was written, for problems with the mode itself (a permissions resource clearing its bits).</summary>
    public SourceLocation? ModeSource { get; init; }

    public Resource WithRenderedContent(string content, bool sensitive) => this with { Content = content, Sensitive = sensitive };

    /// <summary>Modes are compared as four octal digits so "644", "0644" and 644 agree.</summary>
    public static string NormalizeMode(string mode) => FileModes.Normalize(mode);
}
