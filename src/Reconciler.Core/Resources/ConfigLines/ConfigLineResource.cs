using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.ConfigLines;

/// <summary>
/// Ensures one <c>KEY VALUE</c> (or <c>KEY=VALUE</c>) setting in a file the system owns, leaving every other line alone.
/// </summary>
public sealed record ConfigLineResource(string Path, string Key, string Value, string Separator, SourceLocation Source)
    : Resource(Source)
{
    public const string KindName = "config_line";

    public override ResourceAddress Address => new(KindName, $"{Path}:{Key}");

    /// <summary>Whether a symbolic link at <see cref="Path"/> is followed to its target (<c>follow: true</c>); otherwise it is blocked.</summary>
    public bool Follow { get; init; }
}
