using System.Runtime.InteropServices;

namespace Reconciler.Ssh;

/// <summary>
/// Reads the private key an inventory names, bounded and only from a regular file outside /proc, /sys and /dev, judged
/// where the path leads after every link (realpath(3)). The inventory reader checks the same when the specs are
/// loaded; this is the read itself, so a link swapped in afterwards still cannot make the controller read /dev/zero
/// (SSH.NET would read it whole) or block on a FIFO (it is opened non-blocking, and its type checked on the open file).
/// The path is a pull request's and the file system the runner's: the reason a key is refused (which rule, where a
/// link leads, a type, a size) is never said, so a plan cannot be used to look around the runner.
/// </summary>
internal static class IdentityKeyFile
{
    /// <summary>Far above any private key (an RSA-16384 key in PEM is about 12 KiB).</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>Every refusal, whatever its reason.</summary>
    public const string NotUsable = "a key file must be a readable regular file of at most 64 KiB outside /proc, /sys and /dev, holding a private key";

    /// <exception cref="IOException">The key cannot be read or is refused; the message is always <see cref="NotUsable"/>.</exception>
    public static byte[] Read(string path)
    {
        var target = RealPath(path) ?? throw new IOException(NotUsable);
        if (new[] { "/proc", "/sys", "/dev" }.Any(p => target == p || target.StartsWith(p + "/", StringComparison.Ordinal)))
        {
            throw new IOException(NotUsable);
        }

        (byte[] Bytes, string? NotRegular) key;
        try
        {
            // One byte over the limit tells a file that is too large from one that fits exactly.
            key = RegularFile.Read(target, MaxBytes + 1, followLink: true);
        }
        catch (IOException)
        {
            throw new IOException(NotUsable);
        }

        return key.NotRegular is null && key.Bytes.Length <= MaxBytes ? key.Bytes : throw new IOException(NotUsable);
    }

    private static string? RealPath(string path)
    {
        var resolved = RealPath(path, IntPtr.Zero);
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

    [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
    private static extern IntPtr RealPath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void Free(IntPtr pointer);
}
