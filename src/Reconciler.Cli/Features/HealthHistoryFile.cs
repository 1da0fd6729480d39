using System.Text.Json;
using System.Text.Json.Serialization;
using Reconciler.Cli.Redaction;
using Reconciler.Core.Monitoring;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Features;

/// <summary>
/// monitoring-history.json in the report directory: each host's headline health figures from earlier drift runs, for
/// the fleet page's sparklines. The nightly workflow carries it between runs in its cache. A file that is too large or
/// not this format is reported in one line and the history starts afresh: a lost sparkline must never fail a drift run.
/// </summary>
internal static class HealthHistoryFile
{
    public const string FileName = "monitoring-history.json";

    /// <summary>Read at most this much: the file holds 60 samples of a few numbers per host, some kilobytes per host.</summary>
    public const long MaxBytes = 1024 * 1024;

    private const string FormatVersion = "1";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// The history in <paramref name="path"/>, or empty with the reason in <paramref name="warning"/>; no file is no warning.
    /// The report directory is filled from a cache, so the file is read only when it is a regular file, not a link (it
    /// is not followed), and at most <see cref="MaxBytes"/> of it: a FIFO, a device or a link to either never blocks or
    /// floods the run (<see cref="Ssh.RegularFile"/>).
    /// </summary>
    public static HealthHistory Read(string path, out string? warning)
    {
        warning = null;
        try
        {
            if (new FileInfo(path).LinkTarget is not null)
            {
                warning = $"{path} is a symbolic link; it is not followed, and the health history starts afresh";
                return HealthHistory.Empty;
            }

            if (!File.Exists(path)) return HealthHistory.Empty;
            var (bytes, notRegular) = Ssh.RegularFile.Read(path, (int)MaxBytes + 1, followLink: false);
            if (notRegular is not null)
            {
                warning = $"{path} is {notRegular}, not a regular file; the health history starts afresh";
                return HealthHistory.Empty;
            }

            if (bytes.Length > MaxBytes)
            {
                warning = $"{path} is larger than {MaxBytes / 1024} KiB; the health history starts afresh";
                return HealthHistory.Empty;
            }

            var document = JsonSerializer.Deserialize<HistoryDocument>(bytes, Options);
            if (document?.FormatVersion != FormatVersion || document.Hosts is null)
            {
                warning = $"{path} is not a health history of format_version \"{FormatVersion}\"; the health history starts afresh";
                return HealthHistory.Empty;
            }

            return new HealthHistory(document.Hosts
                .Where(h => h.Value is not null)
                .ToDictionary(h => h.Key, h => (IReadOnlyList<HealthSample>)h.Value!.Where(s => s is not null).Select(s => s!.ToSample()).ToList(), StringComparer.Ordinal));
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            warning = $"{path} could not be read ({Shorten(e.Message)}); the health history starts afresh";
            return HealthHistory.Empty;
        }
    }

    /// <summary>
    /// This run's history: hosts of the run only (a host removed from the inventory leaves it), each with this run's
    /// sample appended where its health was read, the oldest dropped past <see cref="HealthHistory.MaxSamples"/>.
    /// A host not read this time keeps its samples unchanged.
    /// </summary>
    public static HealthHistory Append(HealthHistory history, Plan plan)
    {
        var hosts = new Dictionary<string, IReadOnlyList<HealthSample>>(StringComparer.Ordinal);
        foreach (var host in plan.Hosts)
        {
            var samples = history.Of(host.Host).OrderBy(s => s.At).ToList();
            if (host.Monitoring?.Health is { } health) samples.Add(HealthSample.Of(health));
            if (samples.Count > 0) hosts[host.Host] = samples.TakeLast(HealthHistory.MaxSamples).ToList();
        }

        return new HealthHistory(hosts);
    }

    /// <summary>
    /// Reads the history in <paramref name="directory"/>, adds this run's samples and writes it back whole (a run killed
    /// halfway leaves the previous history) and never through a link planted there (<see cref="OutputFiles.ReplaceAsync"/>).
    /// </summary>
    public static async Task<HealthHistory> KeepAsync(string directory, Plan plan, OutputFiles files, Action<string> warn, CancellationToken ct)
    {
        var path = Path.Combine(directory, FileName);
        var history = Append(Read(path, out var warning), plan);
        if (warning is not null) warn(warning);
        await files.ReplaceAsync(path, Render(history), ct);
        return history;
    }

    public static string Render(HealthHistory history) => JsonSerializer.Serialize(
        new HistoryDocument(FormatVersion, history.Hosts.ToDictionary(h => h.Key, h => (IReadOnlyList<SampleDocument?>?)h.Value.Select(SampleDocument.Of).ToList(), StringComparer.Ordinal)),
        Options);

    private static string Shorten(string message)
    {
        var line = message.Split('\n')[0].Trim();
        return line.Length > 200 ? line[..200] + "…" : line;
    }

    private sealed record HistoryDocument(string? FormatVersion, Dictionary<string, IReadOnlyList<SampleDocument?>?>? Hosts);

    private sealed record SampleDocument(DateTimeOffset At, double? SpaceUsedPercent, double? InodesUsedPercent, double? MemoryAvailablePercent, int? SynRecv, double? Load1)
    {
        /// <summary>A non-finite figure is written as unknown: the serializer refuses NaN and infinity, and the run must not fail for one.</summary>
        public static SampleDocument? Of(HealthSample s) => new(
            s.At, HealthSample.Finite(s.SpaceUsedPercent), HealthSample.Finite(s.InodesUsedPercent), HealthSample.Finite(s.MemoryAvailablePercent), s.SynRecv, HealthSample.Finite(s.Load1));

        public HealthSample ToSample() => new(At, SpaceUsedPercent, InodesUsedPercent, MemoryAvailablePercent, SynRecv, Load1);
    }
}
