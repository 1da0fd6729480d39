namespace Reconciler.Core.Resources.Sysctl;

/// <summary>
/// What to do with an assignment boot reads after the managed file (a later-sorting sysctl.d file, or /etc/sysctl.conf)
/// that sets the key to another value: left alone it would win at boot, and the declared value would not hold.
/// </summary>
public enum SysctlConflicts
{
    /// <summary>Comment the line out, with a marker naming the managed file (the default); the plan names each line.</summary>
    Comment,

    /// <summary>Leave it, and report the sysctl blocked until someone resolves it.</summary>
    Block,
}
