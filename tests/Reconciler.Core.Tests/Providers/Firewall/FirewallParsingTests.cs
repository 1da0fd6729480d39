using Reconciler.Core.Resources.Firewall;

namespace Reconciler.Core.Tests.Providers.Firewall;

public sealed class FirewallParsingTests
{
    [Fact]
    public void Chain_reads_own_rules_and_jump_positions_from_iptables_S()
    {
        var state = FirewallParsing.Chain([
            "-P INPUT ACCEPT",
            "-N RECONCILER-INPUT",
            "-N OTHER",
            "-A INPUT -s 10.0.0.1/32 -j DROP",
            "-A INPUT -j RECONCILER-INPUT",
            "-A OTHER -j ACCEPT",
            "-A RECONCILER-INPUT -p tcp -m tcp --tcp-flags FIN,SYN FIN,SYN -m comment --comment syn-fin -j DROP",
            "-A INPUT -i lo -j RECONCILER-INPUT",
        ]);

        Assert.True(state.Exists);
        Assert.Equal(["-A RECONCILER-INPUT -p tcp -m tcp --tcp-flags FIN,SYN FIN,SYN -m comment --comment syn-fin -j DROP"], state.Rules);
        Assert.Equal([2], state.JumpPositions); // the "-i lo" jump is not the one we own
        Assert.False(state.JumpIsFirst);
        Assert.True(FirewallParsing.Chain([":RECONCILER-INPUT - [0:0]", "-A INPUT -j RECONCILER-INPUT"]).JumpIsFirst);
        Assert.False(FirewallParsing.Chain(["-P INPUT ACCEPT"]).Exists);
    }

    [Fact]
    public void Set_members_come_from_ipset_save_for_wanted_sets_only()
    {
        var members = FirewallParsing.SetMembers(
            [
                "create rc-a-v4 hash:net family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x1",
                "add rc-a-v4 10.0.0.0/24",
                "add rc-a-v4 192.0.2.9 timeout 60",
                "create rc-empty-v4 hash:net family inet",
                "create other hash:ip family inet",
                "add other 10.0.0.1",
            ],
            new HashSet<string> { "rc-a-v4", "rc-empty-v4", "rc-missing-v4" });

        Assert.Equal(["10.0.0.0/24", "192.0.2.9"], members["rc-a-v4"].Order());
        Assert.Empty(members["rc-empty-v4"]);
        Assert.False(members.ContainsKey("other"));
        Assert.False(members.ContainsKey("rc-missing-v4"));
    }

    [Fact]
    public void Set_members_parse_and_diff_100000_entries()
    {
        var lines = new List<string> { "create rc-big-v4 hash:net family inet" };
        lines.AddRange(Enumerable.Range(0, 100_000).Select(i => $"add rc-big-v4 10.{i / 65536}.{i / 256 % 256}.{i % 256}"));
        // Speed is not asserted here (a timed unit test flakes on a loaded runner); a quadratic parse or diff of 100,000
        // entries would still show as this test taking minutes.
        var members = FirewallParsing.SetMembers(lines, new HashSet<string> { "rc-big-v4" });
        var diff = EntryDiff.Between(members["rc-big-v4"].Skip(1).Append("192.0.2.1").ToList(), members["rc-big-v4"]);
        Assert.Equal(100_000, members["rc-big-v4"].Count);
        Assert.Equal((1, 1), (diff.Added.Count, diff.Removed.Count));
    }

    [Fact]
    public void Set_headers_give_type_and_family()
    {
        var headers = FirewallParsing.SetHeaders([
            "Name: rc-a-v6", "Type: hash:net", "Revision: 7", "Header: family inet6 hashsize 1024 maxelem 65536", "",
            "Name: macs", "Type: hash:mac", "Header: hashsize 1024 maxelem 65536",
        ]);

        Assert.Equal(("hash:net", "inet6"), headers["rc-a-v6"]);
        Assert.Equal(("hash:mac", (string?)null), headers["macs"]);
    }

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1", IpFamily.Ipv4)]
    [InlineData("192.0.2.1/32", "192.0.2.1", IpFamily.Ipv4)]
    [InlineData("10.1.2.3/8", "10.0.0.0/8", IpFamily.Ipv4)]
    [InlineData("2001:DB8:0:0::1", "2001:db8::1", IpFamily.Ipv6)]
    [InlineData("2001:db8:bad:1::/48", "2001:db8:bad::/48", IpFamily.Ipv6)]
    public void Entries_are_canonical_as_ipset_prints_them(string text, string canonical, IpFamily family)
    {
        Assert.Equal(new BlockEntry(canonical, family), BlockEntry.Parse(text, out _));
    }

    [Theory]
    [InlineData("10.1")]
    [InlineData("0x0a000001")]
    [InlineData("10.0.0.0/0")]
    [InlineData("10.0.0.0/33")]
    [InlineData("fe80::1%eth0")]
    [InlineData("example.com")]
    public void Bad_entries_are_refused(string text)
    {
        Assert.Null(BlockEntry.Parse(text, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Entry_diff_counts_and_lists_the_first_few()
    {
        var diff = EntryDiff.Between(["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"], new HashSet<string> { "10.0.0.1", "192.0.2.9" });
        Assert.Equal("5 entries: +4 −1 (added 10.0.0.2, 10.0.0.3, 10.0.0.4, …; removed 192.0.2.9)", diff.Summary());
        Assert.True(EntryDiff.Between(["a"], new HashSet<string> { "a" }).IsEmpty);
    }

    [Fact]
    public void Line_diff_shows_a_foreign_rule_as_removed()
    {
        var (removed, added) = LineDiff.Between(["a", "x", "b"], ["a", "b", "c"]);
        Assert.Equal(["x"], removed);
        Assert.Equal(["c"], added);
    }
}
