using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

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

    private const int ReadOnlyNonBlockingCloseOnExec = 0x800 | 0x80000; // O_RDONLY | O_NONBLOCK | O_CLOEXEC
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28; // struct statx: stx_mask, stx_blksize, stx_attributes, stx_nlink, stx_uid, stx_gid, stx_mode
    private const int TypeMask = 0xF000;
    private const int RegularFile = 0x8000;

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

        var fd = Open(target, ReadOnlyNonBlockingCloseOnExec);
        if (fd < 0) throw new IOException(NotUsable);
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var status = new byte[256];
        if (Statx(fd, "", AtEmptyPath, StatxType, status) != 0 || (BitConverter.ToUInt16(status, ModeOffset) & TypeMask) != RegularFile)
        {
            throw new IOException(NotUsable);
        }

        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        var buffer = new byte[MaxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        if (length > MaxBytes)
        {
            throw new IOException(NotUsable);
        }

        return buffer[..length];
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

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directoryFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}
