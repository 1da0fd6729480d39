using Reconciler.Core.Facts;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Facts;

/// <summary>
/// The one sysctl-facts unit: live and persisted values of a list of keys (dotted or path form), the last persisted
/// assignment in boot order winning, closed entries and files marked, and its script run for real (reads only).
/// </summary>
public sealed class SysctlFactsTests
{
    private const string Local = "/etc/sysctl.d/99-local.conf";
    private const string Later = "/etc/sysctl.d/zz-reconciler-net.ipv4.ip_forward.conf";

    /// <summary>Persisted records (P, Q) in their section, every other line in the live section.</summary>
    private static FactAnswers Answers(params string[] lines) => new(new Dictionary<string, IReadOnlyList<string>>
    {
        [SysctlFacts.PersistedUnit] = lines.Where(l => l.Split('\t')[0] is "P" or "Q" or "K" or "N").ToList(),
        [SysctlFacts.LiveUnit] = lines.Where(l => l.Split('\t')[0] is not ("P" or "Q" or "K" or "N")).ToList(),
    });

    [Fact]
    public void Live_and_persisted_values_parse_per_key_with_the_last_assignment_winning()
    {
        string[] keys = ["net.ipv4.ip_forward", "net/ipv4/conf/eth0.100/arp_ignore", "net.ipv4.no_such_key"];
        var facts = SysctlFacts.Parse(keys, Answers(
            "L\t0\t1", "L\t1\t2  ", "M\t0",
            $"P\tnet/ipv4/ip_forward\t{Local}\t1\t0", $"P\tnet/ipv4/ip_forward\t{Later}\t1\t1",
            $"P\tnet/ipv4/conf/eth0.100/arp_ignore\t{Local}\t1\t1"));

        Assert.Equal(("1", "1", Later), (facts[0].Live, facts[0].Persisted, facts[0].PersistedIn));
        Assert.Equal(("2", "1", Local), (facts[1].Live, facts[1].Persisted, facts[1].PersistedIn));
        Assert.Equal(((string?)null, (string?)null, (string?)null), (facts[2].Live, facts[2].Persisted, facts[2].PersistedIn));
        Assert.Equal([new SysctlAssignment(Local, 1, "0", null), new SysctlAssignment(Later, 1, "1", null)], facts[0].Assignments);
        Assert.Empty(facts[2].Assignments);
    }

    [Fact]
    public void Closed_proc_entries_and_closed_sysctl_d_files_are_marked_for_comparison_without_showing()
    {
        var facts = SysctlFacts.Parse(["net.ipv4.ip_forward", "net.ipv4.tcp_syncookies"],
            Answers("L\t0\t1", "U\t0", "L\t1\t1", $"Q\t{Local}", $"P\tnet/ipv4/tcp_syncookies\t{Local}\t1\t1", $"P\tnet/ipv4/ip_forward\t{Later}\t1\t1"));

        Assert.Equal((true, false), (facts[0].LiveClosed, facts[0].PersistedClosed));
        Assert.Equal((false, true), (facts[1].LiveClosed, facts[1].PersistedClosed));
    }

    [Fact]
    public void Each_assignment_keeps_its_file_and_line_and_a_pattern_names_every_key_it_matches()
    {
        string[] keys = ["net.ipv4.conf.all.rp_filter", "net.ipv4.conf.lo.rp_filter", "net.ipv4.conf.all.forwarding"];
        var facts = SysctlFacts.Parse(keys, Answers(
            "L\t0\t0", "L\t1\t0", "L\t2\t0",
            $"P\tnet/ipv4/conf/all/rp_filter\t{Local}\t3\t0",
            "P\tnet/ipv4/conf/*/rp_filter\t/etc/sysctl.d/zzz.conf\t7\t2",
            "P\tnet/ipv4/conf/[!l]*/forwarding\t/etc/sysctl.d/zzz.conf\t8\t1",
            "K\t/etc/sysctl.d/zzz.conf", "Q\t/etc/sysctl.d/zzz.conf"));

        Assert.Equal(
            [new SysctlAssignment(Local, 3, "0", null), new SysctlAssignment("/etc/sysctl.d/zzz.conf", 7, "2", "net/ipv4/conf/*/rp_filter") { Closed = true, InLink = true }],
            facts[0].Assignments);
        Assert.Equal(("2", "/etc/sysctl.d/zzz.conf:7"), (facts[1].Persisted, facts[1].Assignments.Single().At));
        Assert.Equal("1", facts[2].Persisted);
        Assert.True(facts[0].PersistedClosed);
    }

    [Theory]
    [InlineData("P\tnet/ipv4/ip_forward\t/etc/sysctl.d/a.conf\t1")]
    [InlineData("P\tnet/ipv4/ip_forward\t/etc/sysctl.d/a.conf\tx\t1")]
    [InlineData("P\tnet/ipv4/ip_forward\t/etc/sysctl.d/a.conf\t0\t1")]
    [InlineData("N")]
    [InlineData("Q\t/etc/sysctl.d/a.conf\textra")]
    public void A_persisted_record_out_of_form_makes_the_answer_malformed(string line)
    {
        Assert.Throws<MalformedFactsException>(() => SysctlFacts.Parse(["net.ipv4.ip_forward"], Answers("L\t0\t1", line)));
    }

    [Fact]
    public void Multi_field_values_are_compared_with_single_spaces()
    {
        // The script turns the kernel's tabs into spaces, so the value stays one field of the record.
        var facts = SysctlFacts.Parse(["net.ipv4.ip_local_port_range"], Answers("L\t0\t32768   60999 "));

        Assert.Equal("32768 60999", facts[0].Live);
    }

    [Fact]
    public void The_script_reads_a_live_key_and_says_nothing_of_a_key_the_kernel_lacks()
    {
        string[] keys = ["kernel.ostype", "net.ipv4.no_such_key_here"];
        var result = LocalShell.Run(SysctlFacts.LiveQuery(keys).Script);
        var persisted = LocalShell.Run(SysctlFacts.PersistedQuery.Script);
        Assert.Equal((0, 0), (result.ExitCode, persisted.ExitCode));

        var facts = SysctlFacts.Parse(keys, new FactAnswers(new Dictionary<string, IReadOnlyList<string>>
        {
            [SysctlFacts.LiveUnit] = LocalShell.Lines(result.Stdout),
            [SysctlFacts.PersistedUnit] = LocalShell.Lines(persisted.Stdout),
        }));

        Assert.Equal("Linux", facts[0].Live);
        Assert.False(facts[0].LiveClosed);
        Assert.Null(facts[1].Live);
        Assert.DoesNotContain("L\t1\t", result.Stdout);
    }

    [Fact]
    public void A_key_whose_read_fails_costs_no_other_key_its_live_value()
    {
        // stable_secret is readable by root's access() but its read fails (EIO) until it is set; mawk stops at a read
        // error, so one awk over every key's file lost the values of all of them, the keys before it too.
        const string failing = "/proc/sys/net/ipv6/conf/all/stable_secret";
        if (!File.Exists(failing)) { return; } // no IPv6 sysctls here
        string[] keys = ["kernel.ostype", "net.ipv6.conf.all.stable_secret", "kernel.osrelease"];
        var result = LocalShell.Run(SysctlFacts.LiveQuery(keys).Script);

        var facts = SysctlFacts.Parse(keys, new FactAnswers(new Dictionary<string, IReadOnlyList<string>>
        {
            [SysctlFacts.LiveUnit] = LocalShell.Lines(result.Stdout),
            [SysctlFacts.PersistedUnit] = [],
        }));

        Assert.Equal("Linux", facts[0].Live);
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), facts[2].Live);
    }
}
