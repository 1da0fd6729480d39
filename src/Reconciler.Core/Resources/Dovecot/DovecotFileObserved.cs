namespace Reconciler.Core.Resources.Dovecot;

/// <summary>
/// One dovecot file as the host has it. <paramref name="OtherType"/> is stat's name for a path that exists but is not
/// a regular file (links included); <paramref name="RestartKeys"/> is the digest of its listener-related lines
/// (<see cref="DovecotRestartKeys"/>); <paramref name="Content"/> is null when not read (sensitive, large or binary).
/// </summary>
public sealed record DovecotFileObserved(
    bool Installed,
    bool Exists = false,
    string? OtherType = null,
    bool ParentMissing = false,
    string? Owner = null,
    string? OwnerId = null,
    string? Group = null,
    string? GroupId = null,
    string? Mode = null,
    string? Sha256 = null,
    string? RestartKeys = null,
    string? Content = null,
    string? Refused = null) : DovecotObserved(Installed)
{
    /// <summary>Digest, size and lines of the live content, and why its text was not sent when it was not.</summary>
    public Facts.LiveText? Live { get; init; }
}
