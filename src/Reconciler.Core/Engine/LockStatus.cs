namespace Reconciler.Core.Engine;

public enum LockStatus
{
    Acquired,

    /// <summary>A stale lock (older than the TTL, left by a crashed run) was removed and taken.</summary>
    TakenOver,

    /// <summary>Another run holds the lock.</summary>
    Held,
}
