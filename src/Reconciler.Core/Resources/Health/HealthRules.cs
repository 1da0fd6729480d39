namespace Reconciler.Core.Resources.Health;

/// <summary>The rule keys of a <c>health</c> entry, as the spec and the findings write them.</summary>
public static class HealthRules
{
    /// <summary>Inodes used, percent, per filesystem with inode accounting.</summary>
    public const string InodesUsedMax = "inodes_used_max";

    /// <summary>Space used, percent of the filesystem's size, per filesystem.</summary>
    public const string SpaceUsedMax = "space_used_max";

    /// <summary>MemAvailable (or, on kernels without it, MemFree + Inactive), percent of MemTotal.</summary>
    public const string MemoryAvailableMin = "memory_available_min";

    /// <summary>Sockets in SYN_RECV.</summary>
    public const string SynRecvMax = "syn_recv_max";

    /// <summary>An ext2/3/4 filesystem's mount count stays below its maximum, where one is set.</summary>
    public const string MountCountBelowMax = "mount_count_below_max";

    /// <summary>The five-minute load average divided by the CPUs.</summary>
    public const string LoadPerCpuMax = "load_per_cpu_max";

    /// <summary>Every rule, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [InodesUsedMax, SpaceUsedMax, MemoryAvailableMin, SynRecvMax, MountCountBelowMax, LoadPerCpuMax];
}
