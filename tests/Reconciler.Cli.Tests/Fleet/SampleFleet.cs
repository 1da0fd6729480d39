using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Monitoring;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Tests.Fleet;

/// <summary>
/// Drift runs' plans with monitoring filled in as the health and mail_graphs kinds fill it, built by hand so the
/// reports and the fleet page are tested apart from hosts. Shared with the browser tests (linked there).
/// </summary>
internal static class SampleFleet
{
    public static readonly DateTimeOffset At = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    public const string LongName = "backup-relay-of-the-second-datacentre-with-a-very-long-name-0001.mail.example.org";

    /// <summary>In sync, drifted with a breached rule and stale mail, unreachable, needing attention only, and a long name.</summary>
    public static Plan Mixed() => new(
    [
        new HostPlan("mail-1", [Change(ChangeAction.NoOp, "/etc/hosts")])
        {
            Monitoring = new HostMonitoring { Health = Health(disk: 41.5, inodes: 12.25, availableKiB: 1_600_000), Mail = Mail(At.AddMinutes(-4), seed: 1), Findings = [Rule("inodes_used_max", "/", "12.3 %", "≤ 90 %", false)] },
        },
        new HostPlan("mx-2", [Change(ChangeAction.Update, "/etc/motd", ("mode", "0644", "0600"))])
        {
            Monitoring = new HostMonitoring
            {
                Health = Health(disk: 71, inodes: 93.125, availableKiB: 900_000),
                Mail = Mail(At.AddHours(-5), seed: 2),
                Findings = [Rule("inodes_used_max", "/var/spool", "93.1 %", "≤ 90 %", true), Rule("syn_recv_max", "tcp", "3", "≤ 256", false)],
            },
        },
        new HostPlan("db-1", [], "ssh: connect to host db-1 port 22: Connection refused"),
        new HostPlan("web-3", [Change(ChangeAction.NoOp, "/etc/hosts")])
        {
            Monitoring = new HostMonitoring
            {
                Health = Health(disk: 55, inodes: 30, availableKiB: 150_000),
                Findings = [Rule("memory_available_min", "memory", "3.8 %", "≥ 10 %", true)],
                Errors = ["mail_graphs: reading /var/lib/mailgraph failed: rrd export is not XML"],
            },
        },
        new HostPlan(LongName, [Change(ChangeAction.NoOp, "/etc/hosts")])
        {
            Monitoring = new HostMonitoring { Health = Health(disk: 12, inodes: 4, availableKiB: 3_000_000), Mail = Mail(At.AddMinutes(-30), seed: 3) },
        },
    ]);

    /// <summary>Earlier runs' samples for every host of <see cref="Mixed"/> (unreachable included), oldest first.</summary>
    public static HealthHistory History() => new(Mixed().Hosts.ToDictionary(
        h => h.Host,
        h => (IReadOnlyList<HealthSample>)Enumerable.Range(0, 12)
            .Select(i => new HealthSample(At.AddDays(i - 12), 40 + i * 1.5, 80 + i * 1.125, 50 - i * 2.5, i % 4, 0.25 * i))
            .ToList(),
        StringComparer.Ordinal));

    /// <summary>Markup, script and URLs in every text a host or a spec gives the page: names, errors, subjects, mounts, periods.</summary>
    public const string Script = "<script>window.__pwned=1;alert(1)</script>";

    public const string Image = "\"><img src=x onerror=\"window.__pwned=2\">";

    public const string Url = "javascript:window.__pwned=3";

    public static Plan Hostile() => new(
    [
        new HostPlan($"evil{Script}", [Change(ChangeAction.Update, $"/etc/{Image}", ("content", Script, Url))])
        {
            Monitoring = new HostMonitoring
            {
                Health = Health(disk: 50, inodes: 95, availableKiB: 500_000, mount: $"/mnt/{Image}", device: Url, notAvailable: Script),
                Mail = new MailTraffic(At.AddMinutes(-1), [new MailPeriod(Image, 3600, Points(At.AddDays(-1), 3600, 24, 5))]),
                Findings = [Rule($"inodes{Script}", $"/mnt/{Image}", Url, Script, true)],
                Errors = [$"mail_graphs: {Image} {Script}"],
            },
        },
        new HostPlan($"{Image}", [], $"ssh: {Script} {Url}"),
        new HostPlan(Url, [Change(ChangeAction.NoOp, "/etc/hosts")]) { Monitoring = new HostMonitoring { Errors = ["health: <b onmouseover=alert(1)>x</b>"] } },
    ]);

    public static HealthFacts Health(double disk, double inodes, long availableKiB, string mount = "/", string device = "/dev/vda1", string? notAvailable = null) => new(
        At.AddSeconds(-20),
        [
            new FilesystemUse(mount, device, "ext4", 20L * 1024 * 1024 * 1024, (long)(disk / 100 * 20L * 1024 * 1024 * 1024), 1_000_000, (long)(inodes * 10_000),
                notAvailable is null ? new MountCheck(12, -1, At.AddDays(-40), null) : MountCheck.Unavailable(notAvailable)),
            new FilesystemUse("/boot", "/dev/vda2", "ext2", 512L * 1024 * 1024, 100L * 1024 * 1024, 32_768, 400, MountCheck.Unavailable("device not readable")),
            new FilesystemUse("/run", "tmpfs", "tmpfs", 200L * 1024 * 1024, 1024 * 1024, 0, 0, MountCheck.Unavailable("not ext2/3/4")),
        ],
        new MemoryFacts(4_000_000, availableKiB, availableKiB / 2, availableKiB / 3),
        7,
        new LoadFacts(0.52, 0.4, 0.33, 2),
        TimeSpan.FromHours(300.5));

    /// <summary>Mailgraph's four periods with deterministic counts; a few buckets have no data.</summary>
    public static MailTraffic Mail(DateTimeOffset lastUpdate, int seed) => new(lastUpdate,
    [
        new MailPeriod("day", 600, Points(At.AddDays(-1), 600, 144, seed)),
        new MailPeriod("week", 3600, Points(At.AddDays(-7), 3600, 168, seed + 1)),
        new MailPeriod("month", 21600, Points(At.AddDays(-31), 21600, 124, seed + 2)),
        new MailPeriod("year", 86400, Points(At.AddDays(-365), 86400, 365, seed + 3)),
    ]);

    private static List<MailPoint> Points(DateTimeOffset start, int step, int count, int seed) =>
        Enumerable.Range(0, count).Select(i => new MailPoint(
            start.AddSeconds((long)step * i),
            i % 37 == 5
                ? new MailCounts(null, null, null, null, null, null)
                : new MailCounts(
                    (i * 7 + seed * 13) % 23 + 0.5, (i * 5 + seed * 3) % 31 + 0.25, (i + seed) % 3, (i * 3 + seed) % 5, (i + seed) % 7 * 0.125, i % 50 == seed ? 1 : 0)))
            .ToList();

    private static HealthFinding Rule(string rule, string subject, string value, string threshold, bool breached) =>
        new(rule, subject, value, threshold, breached, "specs/mail/40-health.yaml:3:5");

    private static ResourceChange Change(ChangeAction action, string path, params (string Name, string? Live, string? Declared)[] attributes) =>
        new(new ResourceAddress("file", path), action, attributes.Select(a => AttributeChange.Of(new(a.Name), a.Live, a.Declared)).ToList(), new SourceLocation("specs/base.yaml", 4, 5));
}
