namespace Reconciler.Core.Shell;

/// <summary>
/// Functions defined once at the top of every apply script. They need only a POSIX shell, coreutils and
/// (for immutable files) e2fsprogs' chattr/lsattr — no agent and no Python on the target.
/// </summary>
public static class ShellLibrary
{
    /// <summary>rc_unlock, rc_relock, rc_open, rc_tmpfile, rc_write and rc_commit (rc-write.sh).</summary>
    public static string Source => ShellFiles.Load("rc-write.sh");
}
