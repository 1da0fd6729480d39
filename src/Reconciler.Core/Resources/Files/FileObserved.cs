using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Files;

/// <summary>
/// A path as the host has it. <paramref name="Attributes"/> is null when the filesystem cannot report chattr flags;
/// <paramref name="Content"/> is null when it was not read or may not be shown (see <see cref="Live"/>, which says why).
/// <paramref name="LinkTarget"/> is set when the path is a symbolic link the spec does not allow following.
/// </summary>
public sealed record FileObserved(
    bool Exists,
    string? Type = null,
    string? Owner = null,
    string? OwnerId = null,
    string? Group = null,
    string? GroupId = null,
    string? Mode = null,
    string? Attributes = null,
    string? Sha256 = null,
    string? Content = null,
    LiveText? Live = null,
    string? LinkTarget = null)
{
    public static readonly FileObserved Missing = new(false);
}
