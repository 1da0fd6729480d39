using Reconciler.Core.Facts;

namespace Reconciler.Core.Resources.Dovecot;

/// <summary>
/// One dovecot file as the host has it: its <see cref="FileFacts"/> (links not followed), whether its directory is
/// missing, and <paramref name="RestartKeys"/>, the digest of its listener-related lines (<see cref="DovecotRestartKeys"/>).
/// </summary>
public sealed record DovecotFileObserved(bool Installed, FileFacts File, bool ParentMissing = false, string? RestartKeys = null) : DovecotObserved(Installed)
{
    /// <summary>Stat's name for a path that exists but is not a regular file (links included), or null.</summary>
    public string? OtherType => File is { Exists: true, IsRegularFile: false } ? File.Type : null;
}
