using System.Runtime.InteropServices;

namespace Reconciler.Specs.Files;

/// <summary>
/// Tells a regular file from a device, FIFO or socket, which .NET does not expose: opening a FIFO blocks and a device
/// such as /dev/zero never ends, so the type is checked with statx(2) before anything is opened.
/// </summary>
internal static class UnixFileType
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28; // struct statx: stx_mask, stx_blksize, stx_attributes, stx_nlink, stx_uid, stx_gid, stx_mode
    private const int TypeMask = 0xF000;
    private const int RegularFile = 0x8000;

    /// <summary>True for a regular file; also true where statx is unavailable (not Linux), as .NET alone would decide.</summary>
    public static bool IsRegularFile(string path)
    {
        var buffer = new byte[256];
        try
        {
            if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
            {
                return false;
            }
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return true;
        }

        return (BitConverter.ToUInt16(buffer, ModeOffset) & TypeMask) == RegularFile;
    }

    // DllImport rather than LibraryImport: the generated marshalling would need unsafe code in this project.
    [DllImport("libc", EntryPoint = "statx")]
    private static extern int Statx(int directoryFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}
