namespace Reconciler.Core.Plans;

/// <summary>How one host's apply ended: the categories an apply's summary counts, which add up to the hosts in scope.</summary>
public enum HostOutcome
{
    /// <summary>Every change applied and a fresh read shows the host as declared (or there was nothing to do).</summary>
    Succeeded,

    /// <summary>The apply ran and a change failed, did not converge, or was rolled back; or a resource is blocked.</summary>
    Failed,

    /// <summary>The host could not be read at all (connection, authentication, time limit).</summary>
    Unreachable,

    /// <summary>Not read: the host offered another host key than the inventory pins, so the controller refused to connect.</summary>
    HostKeyMismatch,

    /// <summary>Read, but deliberately not applied: another run holds its lock, or the saved plan no longer holds.</summary>
    Refused,

    /// <summary>The user interrupted the run before this host's apply started: nothing was applied.</summary>
    Interrupted,

    /// <summary>The connection was lost after the apply was sent: the host may have applied any or all of it.</summary>
    Unknown,
}
