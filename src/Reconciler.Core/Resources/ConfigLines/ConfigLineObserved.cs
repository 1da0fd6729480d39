namespace Reconciler.Core.Resources.ConfigLines;

/// <summary>
/// The values of every uncommented line setting the key, in file order (a key set twice is drift too). When a local
/// user of the host could not read the file, <paramref name="Withheld"/> says why and <paramref name="Values"/> hold
/// the SHA-256 of each value instead: the host compares, it does not disclose. <paramref name="LinkTarget"/> is set
/// for a symbolic link the spec does not allow following.
/// </summary>
public sealed record ConfigLineObserved(
    bool FileExists,
    IReadOnlyList<string> Values,
    string? Withheld = null,
    string? LinkTarget = null,
    string? Unreadable = null)
{
    /// <summary>Why the host refused the path (<see cref="Shell.PathSafety"/>); nothing was read through it.</summary>
    public string? Refused { get; init; }
}
