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
}
