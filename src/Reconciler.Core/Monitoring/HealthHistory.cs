namespace Reconciler.Core.Monitoring;

/// <summary>
/// Earlier drift runs' headline health figures per host, oldest first, kept on the controller next to the reports
/// (monitoring-history.json) so the fleet page can draw sparklines; bounded per host to <see cref="MaxSamples"/>.
/// </summary>
public sealed record HealthHistory(IReadOnlyDictionary<string, IReadOnlyList<HealthSample>> Hosts)
{
    public const int MaxSamples = 60;

    public static HealthHistory Empty { get; } = new(new Dictionary<string, IReadOnlyList<HealthSample>>(StringComparer.Ordinal));

    public IReadOnlyList<HealthSample> Of(string host) => Hosts.TryGetValue(host, out var samples) ? samples : [];
}

/// <summary>
/// One run's headline figures of one host: the fullest filesystem's space and inode use, available memory as a share of
/// the total, SYN_RECV sockets and the one-minute load; null where the host did not give the figure, or gave one that
/// is not a finite number (a host's NaN or infinity is no figure, and JSON cannot hold it).
/// </summary>
public sealed record HealthSample(
    DateTimeOffset At, double? SpaceUsedPercent, double? InodesUsedPercent, double? MemoryAvailablePercent, int? SynRecv, double? Load1)
{
    public static HealthSample Of(HealthFacts facts) => new(
        facts.ReadAt,
        Finite(facts.Filesystems.Select(f => f.SpaceUsedPercent).Max()),
        Finite(facts.Filesystems.Select(f => f.InodesUsedPercent).Max()),
        Finite(facts.Memory is { TotalKiB: > 0, AvailableKiB: { } available } m ? 100.0 * available / m.TotalKiB : null),
        facts.SynRecv,
        Finite(facts.Load?.One));

    /// <summary>The value, or null for NaN and the infinities.</summary>
    public static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
