using System.Globalization;
using Reconciler.Core.Monitoring;

namespace Reconciler.Core.Resources.Health;

/// <summary>
/// Judges a host's health rules on its facts: one finding per rule and subject, breached or not, in spec order, with the
/// value and threshold as a reader sees them. Percentages are compared exactly (integers against the declared limit) and
/// shown to one decimal rounded away from the limit's safe side, so a shown value never contradicts the verdict: 90.01 %
/// of inodes used shows as 90.1 %, above "≤ 90 %". A rule whose figure the host did not give is an error line, not a pass.
/// </summary>
public static class HealthJudge
{
    public static HostMonitoring Judge(IReadOnlyList<HealthResource> resources, HealthFacts facts)
    {
        var findings = new List<HealthFinding>();
        var errors = new List<string>();
        foreach (var resource in resources)
        {
            foreach (var rule in resource.Rules)
            {
                var source = rule.Source.ToString();
                void Missing(string why) => errors.Add($"{HealthResource.KindName}: {resource.Address} {rule.Name} ({source}): {why}");
                switch (rule.Name)
                {
                    case HealthRules.InodesUsedMax:
                        findings.AddRange(UsedShare(rule, source, facts, f => (f.InodesUsed, f.Inodes), (used, all) => $"{used} of {all} inodes"));
                        LeftOut();
                        break;
                    case HealthRules.SpaceUsedMax:
                        findings.AddRange(UsedShare(rule, source, facts, f => (f.UsedBytes, f.SizeBytes), (used, all) => $"{Bytes(used)} of {Bytes(all)}"));
                        LeftOut();
                        break;
                    case HealthRules.MemoryAvailableMin when facts.Memory is { } memory:
                        // The kernel's MemAvailable supersedes the seed's MemFree + Inactive; the seed's figure stands in on
                        // kernels older than 3.14, which have no MemAvailable.
                        var (available, how) = memory.AvailableKiB is { } a ? (a, "available") : (memory.SeedAvailableKiB, "MemFree + Inactive");
                        findings.Add(new HealthFinding(rule.Name, "memory",
                            $"{AtLeast(available, memory.TotalKiB)} ({Bytes(available * 1024)} of {Bytes(memory.TotalKiB * 1024)} {how})",
                            $"≥ {Number(rule.Limit)} %", Below(available, memory.TotalKiB, rule.Limit), source));
                        break;
                    case HealthRules.MemoryAvailableMin:
                        Missing("the host gave no memory figures (/proc/meminfo)");
                        break;
                    case HealthRules.SynRecvMax when facts.SynRecv is { } syn:
                        findings.Add(new HealthFinding(rule.Name, "tcp", $"{syn} in SYN_RECV", $"≤ {Number(rule.Limit)}", syn > rule.Limit, source));
                        break;
                    case HealthRules.SynRecvMax:
                        Missing("the host gave no count of SYN_RECV sockets (ss, /proc/net/tcp)");
                        break;
                    case HealthRules.MountCountBelowMax:
                        findings.AddRange(facts.Filesystems.Where(f => f.Type is "ext2" or "ext3" or "ext4").Select(f => MountCount(rule, f, source)));
                        break;
                    case HealthRules.LoadPerCpuMax when facts.Load is { Cpus: > 0 } load:
                        var perCpu = load.Five / load.Cpus;
                        findings.Add(new HealthFinding(rule.Name, "load",
                            $"{(Math.Ceiling(perCpu * 100) / 100).ToString("0.00", CultureInfo.InvariantCulture)} per CPU (5-minute load {load.Five.ToString("0.00", CultureInfo.InvariantCulture)}, {load.Cpus} CPU{(load.Cpus == 1 ? "" : "s")})",
                            $"≤ {Number(rule.Limit)} per CPU", perCpu > rule.Limit, source));
                        break;
                    case HealthRules.LoadPerCpuMax:
                        Missing("the host gave no load average (/proc/loadavg, nproc)");
                        break;
                    default:
                        throw new InvalidOperationException($"no judge for the health rule {rule.Name}");
                }

                void LeftOut()
                {
                    if (facts.FilesystemsLeftOut > 0)
                    {
                        Missing($"{facts.FilesystemsLeftOut} filesystem(s) not read (over {HealthFactsParser.MaxFilesystems}, a name over 1024 characters, or stat could not read them)");
                    }
                }
            }
        }

        return new HostMonitoring { Health = facts, Findings = findings, Errors = errors.Distinct(StringComparer.Ordinal).ToList() };
    }

    /// <summary>A "used at most" rule on every filesystem that has the figure (a filesystem without inode accounting has none).</summary>
    private static IEnumerable<HealthFinding> UsedShare(
        HealthRule rule, string source, HealthFacts facts, Func<FilesystemUse, (long Used, long All)> figure, Func<long, long, string> detail) =>
        facts.Filesystems.Select(f => (f.Mount, Figure: figure(f))).Where(f => f.Figure.All > 0).Select(f => new HealthFinding(rule.Name, f.Mount,
            $"{AtMost(f.Figure.Used, f.Figure.All)} ({detail(f.Figure.Used, f.Figure.All)})", $"≤ {Number(rule.Limit)} %",
            Above(f.Figure.Used, f.Figure.All, rule.Limit), source));

    /// <summary>e2fsck runs at boot once the count reaches the maximum; a maximum of -1 or 0 turns that check off.</summary>
    private static HealthFinding MountCount(HealthRule rule, FilesystemUse f, string source) => f.Check switch
    {
        { NotAvailable: { } why } => new HealthFinding(rule.Name, f.Mount, $"not available: {why}", "< maximum mount count", false, source),
        { Count: { } count, Maximum: { } max } when max > 0 =>
            new HealthFinding(rule.Name, f.Mount, $"{count} mounts", $"< {max} (maximum mount count)", count >= max, source),
        { Count: { } count, Maximum: { } max } =>
            new HealthFinding(rule.Name, f.Mount, $"{count} mounts", $"no maximum ({max}: checks by mount count are off)", false, source),
        _ => new HealthFinding(rule.Name, f.Mount, "not available", "< maximum mount count", false, source),
    };

    /// <summary>part / whole is above limit percent, compared exactly.</summary>
    private static bool Above(long part, long whole, double limit) => (decimal)part * 100 > (decimal)limit * whole;

    private static bool Below(long part, long whole, double limit) => (decimal)part * 100 < (decimal)limit * whole;

    /// <summary>The share, rounded up to 0.1 % (a "max" rule's value is never shown below what it is).</summary>
    private static string AtMost(long part, long whole) => Percent(((Int128)part * 1000 + whole - 1) / whole);

    /// <summary>The share, rounded down to 0.1 % (a "min" rule's value is never shown above what it is).</summary>
    private static string AtLeast(long part, long whole) => whole > 0 ? Percent((Int128)part * 1000 / whole) : "0.0 %";

    private static string Percent(Int128 tenths) => $"{tenths / 10}.{tenths % 10} %";

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        var value = (double)bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : $"{value.ToString("0.0", CultureInfo.InvariantCulture)} {units[unit]}";
    }
}
