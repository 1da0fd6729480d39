namespace Reconciler.Core.Shell;

/// <summary>
/// Functions defined once at the top of every apply script. They need only a POSIX shell, coreutils and
/// (for immutable files) e2fsprogs' chattr/lsattr — no agent and no Python on the target.
/// </summary>
public static class ShellLibrary
{
    /// <summary>
    /// rc_unlock, rc_relock, rc_open, rc_tmpfile, rc_write and rc_commit (rc-write.sh) with the path rule they enforce
    /// (rc-path.sh, <see cref="PathSafety"/>), carried so that a fragment run as another user has them too.
    /// </summary>
    public static string Source => PathSafety.Carry(ShellFiles.Load("rc-write.sh") + "\n" + PathSafety.Functions);
}
