namespace Reconciler.Core.Engine;

/// <summary>
/// What commit-confirm saves and restores for changes that can cut the controller off from the host (a guarded kind's
/// firewall or network interfaces, declared once on the kind; the reconciler's own record). Before any such change runs,
/// the engine has the host save the state and arm a rollback that runs on the host itself unless a new SSH connection
/// confirms the change in time.
/// </summary>
/// <param name="SnapshotScript">Shell fragment saving the live state into the directory named by <c>$RC_SNAPSHOT</c>.</param>
/// <param name="RestoreScript">Shell fragment restoring that state from <c>$RC_SNAPSHOT</c>; it runs detached, with no SSH session.</param>
public sealed record GuardedState(string SnapshotScript, string RestoreScript);
