using Reconciler.Core.Facts;
using Reconciler.Core.Model;

namespace Reconciler.Core.Engine;

/// <summary>
/// A provider whose resources may declare a glob path: each match is read by the kind's own read of a literal path, in
/// the same round trip, and planned and applied as the literal resource <see cref="Match"/> makes of it.
/// </summary>
public interface IGlobPaths<TResource, out TObserved>
    where TResource : Resource
{
    /// <summary>The pattern, excludes and per-match read of a resource declared with a glob path; null for a literal path.</summary>
    GlobRead? Glob(TResource resource);

    /// <summary>Shell functions the per-match reads use, defined once before the globs are expanded.</summary>
    string GlobLibrary { get; }

    /// <summary>The literal resource a match stands for: the declaration with the matched path.</summary>
    TResource Match(TResource declared, string path);

    /// <summary>A match's observed state from the records its read printed.</summary>
    TObserved ParseMatch(TResource match, IReadOnlyList<string[]> records);
}
