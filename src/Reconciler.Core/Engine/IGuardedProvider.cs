namespace Reconciler.Core.Engine;

/// <summary>
/// A resource kind whose changes can cut the controller off from the host (firewall, network interfaces).
/// Before any of its changes runs, the engine has the host save the current state and arm a rollback that runs
/// on the host itself unless a new SSH connection confirms the change in time (commit-confirm).
/// </summary>
public interface IGuardedProvider
{
    /// <summary>Shell fragment saving this kind's live state into the directory named by <c>$RC_SNAPSHOT</c>.</summary>
    string SnapshotScript { get; }

    /// <summary>Shell fragment restoring that state from <c>$RC_SNAPSHOT</c>; it runs detached, with no SSH session.</summary>
    string RestoreScript { get; }
}
