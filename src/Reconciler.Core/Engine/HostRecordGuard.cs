using Reconciler.Core.Shell;

namespace Reconciler.Core.Engine;

/// <summary>
/// Joins the reconciler's own records to commit-confirm: a rollback puts the previous state file back (the host no
/// longer matches the new commit) and ends this apply by releasing its lock — the controller may never get back in.
/// </summary>
internal static class HostRecordGuard
{
    public static GuardedState Of(HostRecord record, HostLock? hostLock) => new(
        $"if [ -f {Sh.Quote(record.Root)}/state ]; then cp -p {Sh.Quote(record.Root)}/state \"$RC_SNAPSHOT/reconciler-state\"; fi",
        $"if [ -f \"$RC_SNAPSHOT/reconciler-state\" ]; then cp -p \"$RC_SNAPSHOT/reconciler-state\" {Sh.Quote(record.Root)}/state; " +
        $"else rm -f {Sh.Quote(record.Root)}/state; fi\n" + (hostLock?.ReleaseScript() ?? ""));
}
