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

    /// <summary>Prints <c>removed</c>, <c>changed</c> (another run holds it now, left alone) or <c>none</c>.</summary>
    public static string ClearScript(string stateRoot, string holder) => HostLock.ClearScript(stateRoot, holder);
}
