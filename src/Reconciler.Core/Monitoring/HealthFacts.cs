namespace Reconciler.Core.Monitoring;

/// <summary>
/// A host's health figures from one read (the first seed's hand checks: df -i, MemFree + Inactive, tune2fs -l, SYN_RECV),
/// plus load and uptime. A figure the host could not give is null; <see cref="ReadAt"/> is the host's clock.
/// </summary>
public sealed record HealthFacts(
    DateTimeOffset ReadAt,
    IReadOnlyList<FilesystemUse> Filesystems,
    MemoryFacts? Memory,
    int? SynRecv,
    LoadFacts? Load,
    TimeSpan? Uptime)
{
    /// <summary>Filesystems the read did not show: beyond its limit, a name too long, or one stat could not read.</summary>
    public int FilesystemsLeftOut { get; init; }
}

/// <summary>One mounted filesystem: space and inodes (a filesystem without inode accounting has 0 inodes), and its fsck counters.</summary>
public sealed record FilesystemUse(
    string Mount, string Device, string Type, long SizeBytes, long UsedBytes, long Inodes, long InodesUsed, MountCheck Check)
{
    public double? SpaceUsedPercent => SizeBytes > 0 ? 100.0 * UsedBytes / SizeBytes : null;

    public double? InodesUsedPercent => Inodes > 0 ? 100.0 * InodesUsed / Inodes : null;
}

/// <summary>
/// An ext2/3/4 filesystem's mount count, maximum (-1: periodic checks off, Debian 12's default) and last check, from
/// tune2fs -l; <paramref name="NotAvailable"/> says why they are missing (not ext, device not readable) — never an error.
/// </summary>
public sealed record MountCheck(int? Count, int? Maximum, DateTimeOffset? LastChecked, string? NotAvailable)
{
    public static MountCheck Unavailable(string why) => new(null, null, null, why);
}

/// <summary>/proc/meminfo in KiB: MemAvailable is the kernel's estimate; MemFree + Inactive is the seed's own rule.</summary>
public sealed record MemoryFacts(long TotalKiB, long? AvailableKiB, long FreeKiB, long InactiveKiB)
{
    public long SeedAvailableKiB => FreeKiB + InactiveKiB;
}

/// <summary>/proc/loadavg and the number of CPUs the load is shared by.</summary>
public sealed record LoadFacts(double One, double Five, double Fifteen, int Cpus);
