namespace Reconciler.Core.Resources.Permissions;

/// <summary>
/// How many paths have a bit the resource removes (<paramref name="Offenders"/>), and the first few of them
/// (<paramref name="Sample"/>, at most <see cref="PermissionsProvider.SampleSize"/>) in find's order.
/// </summary>
public sealed record PermissionsObserved(bool Exists, int Offenders, IReadOnlyList<string> Sample)
{
    public static readonly PermissionsObserved Missing = new(false, 0, []);

    /// <summary>Why the host refused the path (<see cref="Shell.PathSafety"/>); nothing was read through it.</summary>
    public string? Refused { get; init; }

    /// <summary>
    /// Directories another user controls, which neither the read nor apply descends into, each as
    /// "PATH: owned by USER" or "PATH: writable by other users (…)", at most <see cref="PermissionsProvider.SampleSize"/>
    /// (names local users could not list are counted only); <see cref="MoreNotDescended"/> when there are more.
    /// </summary>
    public IReadOnlyList<string> NotDescended { get; init; } = [];

    public bool MoreNotDescended { get; init; }
}
