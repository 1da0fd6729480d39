using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Reconciler.Cli.Features;

/// <summary>
/// Reads a file of the report directory (filled from the Actions cache, so it may hold anything a cache entry can: a
/// link, a FIFO, a device) only if it is a regular file: opened without following a link and without blocking, its
/// type judged on the open file, at most a given number of bytes read.
/// </summary>
internal static class ReportFile
{
    private const int ReadOnlyNonBlockingCloseOnExec = 0x800 | 0x80000; // O_RDONLY | O_NONBLOCK | O_CLOEXEC
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28; // struct statx: stx_mask, stx_blksize, stx_attributes, stx_nlink, stx_uid, stx_gid, stx_mode
    private const int TypeMask = 0xF000;
    private const int RegularFile = 0x8000;

    /// <summary>O_NOFOLLOW, whose value differs between Linux architectures.</summary>
    private static int NoFollow => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    /// <summary>Up to <paramref name="limit"/> bytes; <paramref name="notRegular"/> says what the path is when it is not a regular file.</summary>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static byte[] ReadRegular(string path, int limit, out string? notRegular)
    {
        notRegular = null;
        var fd = Open(path, ReadOnlyNonBlockingCloseOnExec | NoFollow);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == 40) // ELOOP: the last component is a link
            {
                notRegular = "a symbolic link";
                return [];
            }

            throw new IOException($"cannot open it (errno {errno})");
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var status = new byte[256];
        if (Statx(fd, "", AtEmptyPath, StatxType, status) != 0) throw new IOException("cannot tell what kind of file it is");
        var type = BitConverter.ToUInt16(status, ModeOffset) & TypeMask;
        if (type != RegularFile)
        {
            notRegular = type switch { 0x1000 => "a FIFO", 0x2000 => "a character device", 0x6000 => "a block device", 0x4000 => "a directory", 0xC000 => "a socket", _ => "another kind of file" };
            return [];
        }

        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        var buffer = new byte[limit];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        return buffer[..length];
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directoryFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}
