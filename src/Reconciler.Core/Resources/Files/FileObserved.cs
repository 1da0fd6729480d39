namespace Reconciler.Core.Resources.Files;

/// <summary>
/// A path as the host has it. <paramref name="Attributes"/> is null when the filesystem cannot report chattr flags;
/// <paramref name="Content"/> is null when it was not read (too large, binary, or content is not managed).
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
    string? Content = null)
{
    public static readonly FileObserved Missing = new(false);
}
