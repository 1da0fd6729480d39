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
/// the total, SYN_RECV sockets and the one-minute load; null where the host did not give the figure.
/// </summary>
public sealed record HealthSample(
    DateTimeOffset At, double? SpaceUsedPercent, double? InodesUsedPercent, double? MemoryAvailablePercent, int? SynRecv, double? Load1)
{
    public static HealthSample Of(HealthFacts facts) => new(
        facts.ReadAt,
        facts.Filesystems.Select(f => f.SpaceUsedPercent).Max(),
        facts.Filesystems.Select(f => f.InodesUsedPercent).Max(),
        facts.Memory is { TotalKiB: > 0, AvailableKiB: { } available } m ? 100.0 * available / m.TotalKiB : null,
        facts.SynRecv,
        facts.Load?.One);
}
