using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources;
using Reconciler.Core.Resources.Firewall;
using Reconciler.Core.Resources.Sysctl;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Providers.Firewall;

public sealed class FirewallProviderTests
{
    private static readonly SourceLocation At = new("fw.yaml", 3, 1);

    private static FirewallSection Section() => new(
        [new BlockSet("blocklist", [BlockEntry.Parse("192.0.2.1", out _)!, BlockEntry.Parse("2001:db8::/32", out _)!], RuleAction.Drop, At)],
        [
            new FlagRule("syn-fin", ["SYN", "FIN"], ["SYN", "FIN"], RuleAction.Drop, At),
            new FlagRule("fin-no-ack", ["ACK", "FIN"], ["FIN"], RuleAction.Reject, At),
        ],
        At);

    [Fact]
    public void Composer_puts_sets_before_chains_and_writes_rules_as_iptables_prints_them()
    {
        var sysctl = new SysctlResource("net.ipv4.tcp_syncookies", "1", At);
        var composed = FirewallComposer.Compose([sysctl, Section()]);

        Assert.Equal(
            ["sysctl[net.ipv4.tcp_syncookies]", "ipset[rc-blocklist-v4]", "ipset[rc-blocklist-v6]", "iptables[filter/RECONCILER-INPUT]", "ip6tables[filter/RECONCILER-INPUT]"],
            composed.Select(r => r.Address.ToString()));
        var v4 = (FirewallChainResource)composed[3];
        Assert.Equal(
            [
                "-A RECONCILER-INPUT -m set --match-set rc-blocklist-v4 src -m comment --comment blocklist -j DROP",
                "-A RECONCILER-INPUT -p tcp -m tcp --tcp-flags FIN,SYN FIN,SYN -m comment --comment syn-fin -j DROP",
                "-A RECONCILER-INPUT -p tcp -m tcp --tcp-flags FIN,ACK FIN -m comment --comment fin-no-ack -j REJECT --reject-with icmp-port-unreachable",
            ],
            v4.Rules);
        Assert.Equal(["rc-blocklist-v4"], v4.Sets);
        Assert.EndsWith("-j REJECT --reject-with icmp6-port-unreachable", ((FirewallChainResource)composed[4]).Rules[2]);
    }

    [Fact]
    public void A_hand_added_rule_a_misplaced_jump_and_a_stale_set_are_changes()
    {
        var chain = (FirewallChainResource)FirewallComposer.Compose([Section()])[2];
        var provider = new FirewallChainProvider();
        var lines = new List<string> { "H\tName: rc-old-v4", "H\tType: hash:net", "H\tHeader: family inet hashsize 1024", "NP", "L\t0\t-N RECONCILER-INPUT", "L\t0\t-A INPUT -s 10.0.0.1/32 -j DROP", "L\t0\t-A INPUT -j RECONCILER-INPUT", "F\t0" };
        lines.AddRange(chain.Rules.Take(1).Select(r => "L\t0\t" + r));
        lines.Add("L\t0\t-A RECONCILER-INPUT -s 203.0.113.9/32 -j ACCEPT");
        lines.AddRange(chain.Rules.Skip(1).Select(r => "L\t0\t" + r));
        lines.AddRange(["P\t0\t-N RECONCILER-INPUT", "P\t0\t-A INPUT -j RECONCILER-INPUT"]);
        lines.AddRange(chain.Rules.Select(r => "P\t0\t" + r));

        var change = ProviderHarness.Diff(provider, chain, [.. lines]);

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Null(change.Note);
        Assert.Equal(
            [
                AttributeChange.Of(new("rule"), "-A RECONCILER-INPUT -s 203.0.113.9/32 -j ACCEPT", null),
                AttributeChange.Of(new("jump"), "INPUT rule 2 → RECONCILER-INPUT", "INPUT rule 1 → RECONCILER-INPUT"),
                AttributeChange.Of(new("stale set"), "rc-old-v4", null),
            ],
            change.Attributes);
    }

    [Fact]
    public void In_sync_chain_is_a_no_op_and_missing_persistence_is_noted()
    {
        var chain = (FirewallChainResource)FirewallComposer.Compose([Section()])[2];
        var provider = new FirewallChainProvider();
        var live = new[] { "NP", "L\t0\t-N RECONCILER-INPUT", "L\t0\t-A INPUT -j RECONCILER-INPUT" }.Concat(chain.Rules.Select(r => "L\t0\t" + r)).ToList();
        var persisted = new[] { "F\t0", "P\t0\t-N RECONCILER-INPUT", "P\t0\t-A INPUT -j RECONCILER-INPUT" }.Concat(chain.Rules.Select(r => "P\t0\t" + r));
        Assert.Equal(ChangeAction.NoOp, ProviderHarness.Diff(provider, chain, [.. live, .. persisted]).Action);

        var unpersisted = ProviderHarness.Diff(provider, chain, [.. live.Skip(1)]);
        Assert.Equal(ChangeAction.Update, unpersisted.Action);
        Assert.Equal(FirewallShell.NoPersistenceNote, unpersisted.Note);
        Assert.Equal("persisted", Assert.Single(unpersisted.Attributes).Name.Text);
    }

    [Fact]
    public void Chain_apply_tests_then_loads_one_noflush_snippet_and_moves_the_jump()
    {
        var chain = (FirewallChainResource)FirewallComposer.Compose([Section()])[2];
        var live = new ChainState(true, [], [2, 5]);
        Assert.Equal(
            "*filter\n:RECONCILER-INPUT - [0:0]\n" + string.Concat(chain.Rules.Select(r => r + "\n")) +
            "-D INPUT -j RECONCILER-INPUT\n-D INPUT -j RECONCILER-INPUT\n-I INPUT 1 -j RECONCILER-INPUT\nCOMMIT\n",
            FirewallChainProvider.RestoreSnippet(chain, live));
        Assert.DoesNotContain("-I INPUT", FirewallChainProvider.RestoreSnippet(chain, new ChainState(true, [], [1])));

        var provider = (IResourceProvider)new FirewallChainProvider();
        var observed = new FirewallChainObserved(null, live, null, ["rc-old-v4"], true);
        var script = provider.ApplyScript(chain, observed, provider.Diff(chain, observed));
        var test = script.IndexOf("iptables-restore -w 5 --test --noflush", StringComparison.Ordinal);
        var load = script.IndexOf("iptables-restore -w 5 --noflush", StringComparison.Ordinal);
        var destroy = script.IndexOf("rc_fw_destroy 'rc-old-v4'", StringComparison.Ordinal);
        var persist = script.LastIndexOf("rc_fw_persist", StringComparison.Ordinal);
        Assert.True(test > 0 && test < load && load < destroy && destroy < persist, script);
    }

    [Fact]
    public void Set_update_is_one_restore_into_a_staging_set_then_a_swap()
    {
        var entries = Enumerable.Range(0, 10_000).Select(i => $"10.0.{i / 256}.{i % 256}").Order(StringComparer.Ordinal).ToList();
        var set = new BlockSetResource("rc-big-v4", IpFamily.Ipv4, entries, At);
        var provider = (IResourceProvider)new BlockSetProvider();
        var observed = new BlockSetObserved(true, "hash:net", "inet", new HashSet<string> { "10.0.0.0", "192.0.2.9" }, null, true);

        var change = provider.Diff(set, observed);
        var script = provider.ApplyScript(set, observed, change);

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal(ChangeEffects.None, change.Effects); // the kind adds its risk (KindRiskTests)
        Assert.Equal(AttributeChange.Of(new("live"), "2 entries", "10000 entries: +9999 −1 (added 10.0.0.1, 10.0.0.10, 10.0.0.100, …; removed 192.0.2.9)"), change.Attributes[0]);
        Assert.Equal("persisted", change.Attributes[1].Name.Text);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(script, @"ipset restore"));
        Assert.Contains("create rct-big-v4 hash:net family inet maxelem 65536\n", script);
        Assert.Equal(10_000, System.Text.RegularExpressions.Regex.Matches(script, "\nadd rct-big-v4 ").Count);
        Assert.DoesNotContain("ipset add", script);
        var swap = script.IndexOf("ipset swap 'rct-big-v4' 'rc-big-v4'", StringComparison.Ordinal);
        Assert.True(swap >= 0 && swap < script.IndexOf("ipset destroy 'rct-big-v4'", StringComparison.Ordinal), script);

        var blocked = provider.Diff(set, observed with { LiveType = "hash:ip" });
        Assert.Equal(ChangeAction.Blocked, blocked.Action);
        Assert.Equal(ChangeAction.Blocked, provider.Diff(set, observed with { IpsetInstalled = false }).Action);
    }

    [Fact]
    public void Set_read_parses_live_and_persisted_members()
    {
        var set = new BlockSetResource("rc-a-v4", IpFamily.Ipv4, ["192.0.2.1"], At);
        var observed = (BlockSetObserved)ProviderHarness.Observe(new BlockSetProvider(), set,
            "IP", "H\tName: rc-a-v4", "H\tType: hash:net", "H\tHeader: family inet hashsize 1024",
            "L\tcreate rc-a-v4 hash:net family inet", "L\tadd rc-a-v4 192.0.2.1",
            "P\tcreate rc-a-v4 hash:net family inet", "P\tadd rc-a-v4 192.0.2.1", "P\tadd rc-a-v4 192.0.2.2");

        Assert.Equal(["192.0.2.1"], observed.Live!);
        Assert.Equal(["192.0.2.1", "192.0.2.2"], observed.Persisted!.Order());
        Assert.False(observed.PersistenceInstalled);
        var change = new BlockSetProvider() is IResourceProvider p ? p.Diff(set, observed) : null!;
        Assert.Equal(AttributeChange.Of(new("persisted"), "2 entries (/etc/iptables/ipsets)", "1 entry: +0 −1 (removed 192.0.2.2) (/etc/iptables/ipsets)"), Assert.Single(change.Attributes));
    }

    [Fact]
    public void Both_providers_are_guarded_with_the_kinds_one_snapshot()
    {
        var registry = ResourceKinds.Registry();
        var sets = registry.GuardOf(registry.Providers.OfType<BlockSetProvider>().Single())!;
        var chains = registry.GuardOf(registry.Providers.OfType<FirewallChainProvider>().Single())!;
        Assert.Equal(new FirewallKind().Guard, sets);
        Assert.Equal(sets, chains);
        Assert.Contains("iptables-save > \"$rc_fw_snap/rules.v4\"", sets.SnapshotScript);
        Assert.Contains("ipset restore -exist", sets.RestoreScript);
        Assert.True(sets.RestoreScript.IndexOf("ipset restore", StringComparison.Ordinal) < sets.RestoreScript.IndexOf("-restore\" -w 5", StringComparison.Ordinal));
    }

    [Fact]
    public void Generated_fragments_are_valid_posix_shell()
    {
        var chain = (FirewallChainResource)FirewallComposer.Compose([Section()])[2];
        var set = new BlockSetResource("rc-a-v4", IpFamily.Ipv4, ["192.0.2.1"], At);
        IResourceProvider chains = new FirewallChainProvider();
        IResourceProvider sets = new BlockSetProvider();
        var obsChain = new FirewallChainObserved(null, ChainState.Missing, null, [], true);
        var obsSet = new BlockSetObserved(true, null, null, null, null, true);
        foreach (var script in new[]
                 {
                     ProviderHarness.ReadScript(chains, [chain]), ProviderHarness.ReadScript(sets, [set]), FirewallShell.Snapshot, FirewallShell.Restore,
                     chains.ApplyScript(chain, obsChain, chains.Diff(chain, obsChain)), sets.ApplyScript(set, obsSet, sets.Diff(set, obsSet)),
                 })
        {
            var result = LocalShell.Run("cat > /tmp/rc-fw-syntax.sh <<'RC_EOF'\n" + script + "\nRC_EOF\nsh -n /tmp/rc-fw-syntax.sh");
            Assert.True(result.ExitCode == 0, result.Stderr + "\n" + script);
        }
    }
}
