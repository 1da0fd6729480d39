using Reconciler.Core.Plans;

namespace Reconciler.Core.Engine;

/// <summary>
/// The apply lock as seen from outside a run (<c>reconciler unlock</c>): the scripts that read a host's held lock and
/// clear it only while the same holder has it. The run's own acquire and release stay with <see cref="HostLock"/>.
/// </summary>
public static class ApplyLocks
{
    public static string InspectScript(string stateRoot) => HostLock.InspectScript(stateRoot);

    public static HeldLock? ParseHeld(IEnumerable<string> lines) => HostLock.ParseHeld(lines);

    /// <summary>
    /// Clears the lock only while it is still the one <paramref name="shown"/> (compared after renaming it aside, so a
    /// new holder's lock is never removed); <see cref="ParseCleared"/> reads the answer.
    /// </summary>
    public static string ClearScript(string stateRoot, HeldLock shown) => HostLock.ClearScript(stateRoot, shown.HolderAsRead);

    public static ClearAnswer ParseCleared(string stdout)
    {
        var fields = stdout.Trim().Split('\t', 2);
        var aside = fields.Length == 2 ? fields[1] : null;
        return fields[0] switch
        {
            "removed" => new ClearAnswer(ClearStatus.Removed, null),
            "none" => new ClearAnswer(ClearStatus.None, null),
            "unreadable" => new ClearAnswer(ClearStatus.Unreadable, aside),
            _ => new ClearAnswer(ClearStatus.Changed, aside),
        };
    }
}

public enum ClearStatus
{
    Removed,

    /// <summary>Released meanwhile: nothing to remove.</summary>
    None,

    /// <summary>Another run holds it now; left alone.</summary>
    Changed,

    /// <summary>Its owner file is there but may not be read, so whether it is the lock shown cannot be told; left alone.</summary>
    Unreadable,
}

/// <summary><paramref name="SetAside"/>: where the lock was left when it could not be put back (another run took the lock meanwhile).</summary>
public sealed record ClearAnswer(ClearStatus Status, string? SetAside);
