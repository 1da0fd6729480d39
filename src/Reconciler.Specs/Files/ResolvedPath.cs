using System.Runtime.InteropServices;

namespace Reconciler.Specs.Files;

/// <summary>
/// Where a controller path really leads: every link, in every component, followed (realpath(3)). Rules about where a
/// file may live are checked on this final target, never on the path as written — a link named key.pem can lead to
/// /dev/zero, and a parent link to /proc/self.
/// </summary>
internal static class ResolvedPath
{
    /// <summary>Kernel and device trees: files there are endless, blocking, or hold the process's own secrets.</summary>
    public static readonly IReadOnlyList<string> Forbidden = ["/proc", "/sys", "/dev"];

    /// <summary>The final target, or null when the path (or a link on the way) does not exist or cannot be resolved.</summary>
    public static string? Of(string path)
    {
        IntPtr resolved;
        try
        {
            resolved = RealPath(path, IntPtr.Zero);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return File.Exists(path) ? new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path) : null;
        }

        if (resolved == IntPtr.Zero) return null;
        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Free(resolved);
        }
    }

    /// <summary>True when <paramref name="path"/> is one of <see cref="Forbidden"/> or below it.</summary>
    public static bool IsForbidden(string path) =>
        Forbidden.Any(p => path == p || path.StartsWith(p + "/", StringComparison.Ordinal));

    [DllImport("libc", EntryPoint = "realpath")]
    private static extern IntPtr RealPath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void Free(IntPtr pointer);
}
