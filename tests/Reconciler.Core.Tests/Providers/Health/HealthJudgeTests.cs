using Reconciler.Core.Diagnostics;
using Reconciler.Core.Monitoring;
using Reconciler.Core.Resources.Health;

namespace Reconciler.Core.Tests.Providers.Health;

/// <summary>
/// Each health rule judged on figures built to sit on, just over and just under its limit: the verdict is exact, the
/// value and threshold read as a person would write them, the source is the rule's own line, and a maximum mount count
/// of -1 (Debian 12's default) never fires.
/// </summary>
public sealed class HealthJudgeTests
{
    private static readonly SourceLocation At = new("specs/all/health.yaml", 4, 5);

    private static HealthResource Rules(params (string Rule, double Limit)[] rules) =>
        new("baseline", rules.Select((r, i) => new HealthRule(r.Rule, r.Limit, At with { Line = 4 + i })).ToList(), new("specs/all/health.yaml", 3, 5));

    private static FilesystemUse Fs(string mount, long inodes, long used, string type = "tmpfs", MountCheck? check = null) =>
        new(mount, type, type, 1000 * 4096, 250 * 4096, inodes, used, check ?? MountCheck.Unavailable("not an ext2/3/4 filesystem"));

    private static HealthFacts Facts(IReadOnlyList<FilesystemUse>? filesystems = null, MemoryFacts? memory = null, int? syn = 0, LoadFacts? load = null) =>
        new(DateTimeOffset.FromUnixTimeSeconds(1700000000), filesystems ?? [], memory, syn, load, TimeSpan.FromHours(1));

    [Fact]
    public void Inode_use_over_the_limit_fires_on_that_filesystem_with_the_exact_value_and_the_rules_line()
    {
        var facts = Facts([Fs("/", 1000, 900), Fs("/mnt/rc", 100, 91), Fs("/no-inodes", 0, 0)]);

        var judged = HealthJudge.Judge([Rules((HealthRules.InodesUsedMax, 90))], facts);

        Assert.Equal(
            [
                new HealthFinding("inodes_used_max", "/", "90.0 % (900 of 1000 inodes)", "≤ 90 %", false, "specs/all/health.yaml:4:5"),
                new HealthFinding("inodes_used_max", "/mnt/rc", "91.0 % (91 of 100 inodes)", "≤ 90 %", true, "specs/all/health.yaml:4:5"),
            ],
            judged.Findings);
        Assert.Same(facts, judged.Health);
        Assert.Empty(judged.Errors);
    }

    [Theory]
    [InlineData(100_000, 90_001, "90.1 %", true)]
    [InlineData(100_000, 90_000, "90.0 %", false)]
    [InlineData(100_000, 89_999, "90.0 %", false)]
    [InlineData(3, 3, "100.0 %", true)]
    public void A_share_is_compared_exactly_and_shown_rounded_away_from_the_safe_side(long inodes, long used, string shown, bool breached)
    {
        var finding = Assert.Single(HealthJudge.Judge([Rules((HealthRules.InodesUsedMax, 90))], Facts([Fs("/", inodes, used)])).Findings);

        Assert.Equal((shown, breached), (finding.Value.Split(" (")[0], finding.Breached));
    }

    [Fact]
    public void Space_use_is_judged_per_filesystem_and_a_decimal_limit_is_shown_as_written()
    {
        var finding = Assert.Single(HealthJudge.Judge([Rules((HealthRules.SpaceUsedMax, 24.5))], Facts([Fs("/", 10, 1)])).Findings);

        Assert.Equal(new HealthFinding("space_used_max", "/", "25.0 % (1000.0 KiB of 3.9 MiB)", "≤ 24.5 %", true, "specs/all/health.yaml:4:5"), finding);
    }

    [Theory]
    [InlineData(8_000_000L, 700_000L, "8.7 % (683.6 MiB of 7.6 GiB available)", true)]
    [InlineData(8_000_000L, 800_000L, "10.0 % (781.3 MiB of 7.6 GiB available)", false)]
    public void Available_memory_below_the_limit_fires_from_MemAvailable(long total, long available, string value, bool breached)
    {
        var facts = Facts(memory: new MemoryFacts(total, available, FreeKiB: 100, InactiveKiB: 100));

        var finding = Assert.Single(HealthJudge.Judge([Rules((HealthRules.MemoryAvailableMin, 10))], facts).Findings);

        Assert.Equal(("memory", value, "≥ 10 %", breached), (finding.Subject, finding.Value, finding.Threshold, finding.Breached));
    }

    [Fact]
    public void Without_MemAvailable_the_seeds_MemFree_plus_Inactive_stands_in()
    {
        var facts = Facts(memory: new MemoryFacts(1000, null, FreeKiB: 150, InactiveKiB: 50));

        var finding = Assert.Single(HealthJudge.Judge([Rules((HealthRules.MemoryAvailableMin, 10))], facts).Findings);

        Assert.Equal(("20.0 % (200.0 KiB of 1000.0 KiB MemFree + Inactive)", false), (finding.Value, finding.Breached));
    }

    [Theory]
    [InlineData(11, true)]
    [InlineData(10, false)]
    [InlineData(0, false)]
    public void Syn_recv_over_the_limit_fires(int count, bool breached)
    {
        var finding = Assert.Single(HealthJudge.Judge([Rules((HealthRules.SynRecvMax, 10))], Facts(syn: count)).Findings);

        Assert.Equal(("tcp", $"{count} in SYN_RECV", "≤ 10", breached), (finding.Subject, finding.Value, finding.Threshold, finding.Breached));
    }

    [Theory]
    [InlineData(31, 30, "31 mounts", "< 30 (maximum mount count)", true)]
    [InlineData(30, 30, "30 mounts", "< 30 (maximum mount count)", true)]
    [InlineData(29, 30, "29 mounts", "< 30 (maximum mount count)", false)]
    [InlineData(5000, -1, "5000 mounts", "no maximum (-1: checks by mount count are off)", false)]
    [InlineData(5000, 0, "5000 mounts", "no maximum (0: checks by mount count are off)", false)]
    public void Mount_count_fires_at_the_maximum_and_never_when_none_is_set(int count, int max, string value, string threshold, bool breached)
    {
        var ext = Fs("/", 10, 1, "ext4", new MountCheck(count, max, null, null));

        var finding = Assert.Single(HealthJudge.Judge([Rules((HealthRules.MountCountBelowMax, 1))], Facts([ext, Fs("/run", 10, 1)])).Findings);

        Assert.Equal(("/", value, threshold, breached), (finding.Subject, finding.Value, finding.Threshold, finding.Breached));
    }

    [Fact]
    public void A_mount_count_that_is_not_available_is_shown_as_such_never_an_error()
    {
        var ext = Fs("/etc/hosts", 10, 1, "ext4", MountCheck.Unavailable("no block device for it on this host"));

        var judged = HealthJudge.Judge([Rules((HealthRules.MountCountBelowMax, 1))], Facts([ext]));

        Assert.Equal(("not available: no block device for it on this host", false), (judged.Findings[0].Value, judged.Findings[0].Breached));
        Assert.False(judged.NeedsAttention);
    }

    [Fact]
    public void Load_per_cpu_is_the_five_minute_average_over_the_cpus()
    {
        var judged = HealthJudge.Judge([Rules((HealthRules.LoadPerCpuMax, 2))], Facts(load: new LoadFacts(9, 5, 1, 2)));

        Assert.Equal(new HealthFinding("load_per_cpu_max", "load", "2.50 per CPU (5-minute load 5.00, 2 CPUs)", "≤ 2 per CPU", true, "specs/all/health.yaml:4:5"), judged.Findings[0]);
    }

    [Fact]
    public void A_rule_whose_figure_the_host_did_not_give_is_an_error_line_naming_the_rule_and_its_line()
    {
        var judged = HealthJudge.Judge(
            [Rules((HealthRules.MemoryAvailableMin, 10), (HealthRules.SynRecvMax, 5), (HealthRules.LoadPerCpuMax, 1), (HealthRules.InodesUsedMax, 90))],
            Facts(syn: null) with { FilesystemsLeftOut = 2 });

        Assert.Empty(judged.Findings);
        Assert.Equal(
            [
                "health: health[baseline] memory_available_min (specs/all/health.yaml:4:5): the host gave no memory figures (/proc/meminfo)",
                "health: health[baseline] syn_recv_max (specs/all/health.yaml:5:5): the host gave no count of SYN_RECV sockets (ss, /proc/net/tcp)",
                "health: health[baseline] load_per_cpu_max (specs/all/health.yaml:6:5): the host gave no load average (/proc/loadavg, nproc)",
                "health: health[baseline] inodes_used_max (specs/all/health.yaml:7:5): 2 filesystem(s) not read (over 64, a name over 1024 characters, or stat could not read them)",
            ],
            judged.Errors);
        Assert.True(judged.NeedsAttention);
    }

    [Fact]
    public void Two_rule_sets_are_judged_in_spec_order_on_the_same_facts()
    {
        var strict = new HealthResource("strict", [new HealthRule(HealthRules.SynRecvMax, 0, At with { File = "specs/groups/mail/health.yaml" })], At);

        var judged = HealthJudge.Judge([Rules((HealthRules.SynRecvMax, 10)), strict], Facts(syn: 1));

        Assert.Equal([false, true], judged.Findings.Select(f => f.Breached));
        Assert.Equal("specs/groups/mail/health.yaml:4:5", judged.Findings[1].Source);
    }
}
