using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Reconciler.Ssh;

/// <summary>
/// Reads a file on the controller only if it is a regular file, judged on the open file (not on a name a link or a
/// rename may change in between): opened non-blocking (a FIFO cannot hang the run), optionally without following a last
/// component that is a link, and never more than a given number of bytes. The identity key (<see cref="IdentityKeyFile"/>)
/// and the drift report directory's history file (filled from a cache a pull request may have written) are read so.
/// </summary>
public static class RegularFile
{
    private const int ReadOnlyNonBlockingCloseOnExec = 0x800 | 0x80000; // O_RDONLY | O_NONBLOCK | O_CLOEXEC
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28; // struct statx: stx_mask, stx_blksize, stx_attributes, stx_nlink, stx_uid, stx_gid, stx_mode
    private const int TypeMask = 0xF000;
    private const int Regular = 0x8000;
    private const int LinkLoop = 40; // ELOOP: with O_NOFOLLOW, the last component is a link

    /// <summary>O_NOFOLLOW, whose value differs between Linux architectures.</summary>
    private static int NoFollow => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    /// <summary>
    /// Up to <paramref name="limit"/> bytes of <paramref name="path"/>; when it is not a regular file, no bytes and what it
    /// is instead ("a symbolic link" only when <paramref name="followLink"/> is false, "a FIFO", "a directory", …).
    /// </summary>
    /// <exception cref="IOException">The file cannot be opened, judged or read.</exception>
    public static (byte[] Bytes, string? NotRegular) Read(string path, int limit, bool followLink)
    {
        var fd = Open(path, ReadOnlyNonBlockingCloseOnExec | (followLink ? 0 : NoFollow));
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return !followLink && errno == LinkLoop ? ([], "a symbolic link") : throw new IOException($"cannot open it: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var status = new byte[256];
        if (Statx(fd, "", AtEmptyPath, StatxType, status) != 0) throw new IOException("cannot tell what kind of file it is");
        var type = BitConverter.ToUInt16(status, ModeOffset) & TypeMask;
        if (type != Regular)
        {
            return ([], type switch
            {
                0x1000 => "a FIFO", 0x2000 => "a character device", 0x6000 => "a block device", 0x4000 => "a directory", 0xC000 => "a socket",
                _ => "another kind of file",
            });
        }

        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        // Sized by the file, grown as it is read: a generous limit costs nothing for a small file, and a file that grows
        // (or a /proc file that claims size 0) is still read up to the limit.
        var buffer = new byte[(int)Math.Clamp(stream.Length + 1, 1, limit)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length >= limit) break;
                Array.Resize(ref buffer, (int)Math.Min(limit, 2L * length));
            }

            var read = stream.Read(buffer, length, buffer.Length - length);
            if (read == 0) break;
            length += read;
        }

        return (buffer[..length], null);
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directoryFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}
