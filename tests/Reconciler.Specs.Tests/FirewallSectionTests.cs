using Reconciler.Core.Resources.Firewall;

namespace Reconciler.Specs.Tests;

public sealed class FirewallSectionTests : IDisposable
{
    private readonly SpecDirectory _specs = new();

    public void Dispose() => _specs.Dispose();

    [Fact]
    public void A_valid_section_becomes_per_family_sets_then_both_chains()
    {
        _specs.WithDefaultInventory()
            .Write("fw/firewall.yaml", """
                kind: resources
                target: { group: hardened }
                firewall:
                  block_sets:
                    - name: blocklist
                      entries: [198.51.100.7, 10.1.2.3/8]
                      entries_file: ../lists/block.txt
                  flag_rules:
                    - { name: syn-fin, protocol: tcp, mask: [SYN, FIN], set: [SYN, FIN], action: DROP }
                """)
            .Write("lists/block.txt", "# comment\n\n192.0.2.1   # trailing comment\n2001:DB8::1/128\n");

        var result = _specs.Load();

        Assert.True(result.State is not null, _specs.Diagnostics());
        var resources = result.State!.Hosts.Single(h => h.Host.Name == "web1").Resources;
        Assert.Equal(
            ["ipset[rc-blocklist-v4]", "ipset[rc-blocklist-v6]", "iptables[filter/RECONCILER-INPUT]", "ip6tables[filter/RECONCILER-INPUT]"],
            resources.Select(r => r.Address.ToString()));
        Assert.Equal(["10.0.0.0/8", "192.0.2.1", "198.51.100.7"], ((BlockSetResource)resources[0]).Entries);
        Assert.Equal(["2001:db8::1"], ((BlockSetResource)resources[1]).Entries);
        Assert.Empty(result.State.Hosts.Single(h => h.Host.Name == "web2").Resources);
    }

    [Fact]
    public void Bad_list_file_lines_are_reported_at_their_line_and_column()
    {
        _specs.WithDefaultInventory()
            .Write("fw.yaml", """
                kind: resources
                target: { group: hardened }
                firewall:
                  block_sets:
                    - name: blocklist
                      entries: [192.0.2.300]
                      entries_file: block.txt
                """)
            .Write("block.txt", "192.0.2.1\n  10.0.0.0/33\n# ok\n   nonsense # note\n2001:db8::/0\n10.0.0.1 10.0.0.2\n");

        Assert.Equal(
            $"""
            {_specs.Path("block.txt")}:2:3: error RC3004: '10.0.0.0/33' has an invalid prefix length (1-32)
            {_specs.Path("block.txt")}:4:4: error RC3004: 'nonsense' is not an IPv4 or IPv6 address or CIDR
            {_specs.Path("block.txt")}:5:1: error RC3004: '2001:db8::/0' would match every address; prefix length must be 1-128
            {_specs.Path("block.txt")}:6:1: error RC3004: one address or CIDR per line; found '10.0.0.1 10.0.0.2'
            {_specs.Path("fw.yaml")}:6:17: error RC3004: '192.0.2.300' is not an IPv4 or IPv6 address or CIDR
            """,
            _specs.Diagnostics());
    }

    [Fact]
    public void Missing_list_file_names_and_flags_are_checked()
    {
        _specs.WithDefaultInventory()
            .Write("fw.yaml", """
                kind: resources
                target: { group: hardened }
                firewall:
                  block_sets:
                    - name: twice
                      entries_file: nowhere.txt
                  flag_rules:
                    - { name: twice, mask: [SYN], set: [SYN, FIN] }
                """);

        var text = _specs.Diagnostics();
        Assert.Contains("fw.yaml:6:21: error RC1007: cannot read list file", text);
        Assert.Contains("fw.yaml:8:15: error RC3011: firewall name 'twice' is already used at", text);
        Assert.Contains("error RC3012: 'set' flags must be among the 'mask' flags (iptables only examines the mask); not in mask: FIN", text);

        // A name that would not survive as an unquoted iptables comment is a schema error
        _specs.Write("fw.yaml", "kind: resources\ntarget: { group: hardened }\nfirewall:\n  flag_rules:\n    - { name: Bad_Name, mask: [SYN], set: [SYN] }\n");
        Assert.Contains("fw.yaml:5:15: error RC2001:", _specs.Diagnostics());
    }

    [Fact]
    public void Duplicate_entries_are_warnings_and_duplicate_sets_across_files_are_errors()
    {
        _specs.WithDefaultInventory()
            .Write("a.yaml", """
                kind: resources
                target: { group: hardened }
                firewall:
                  block_sets:
                    - { name: blocklist, entries: [192.0.2.1, 192.0.2.1/32] }
                """)
            .Write("b.yaml", """
                kind: resources
                target: { host: web1 }
                firewall:
                  block_sets:
                    - { name: blocklist, entries: [192.0.2.9] }
                """);

        var text = _specs.Diagnostics();
        Assert.Contains($"{_specs.Path("a.yaml")}:5:47: warning RC3011: 192.0.2.1 is already listed at {_specs.Path("a.yaml")}:5:36", text);
        Assert.Contains($"{_specs.Path("b.yaml")}:5:7: error RC3001: ipset[rc-blocklist-v4] is already declared at {_specs.Path("a.yaml")}:5:7", text);
    }

    [Fact]
    public void The_sample_specs_are_valid()
    {
        // The mail specs name their passwords; any value will do to load them.
        var secrets = new Reconciler.Core.Secrets.SecretStore(name => $"sample-{name}");
        var result = new SpecLoader(secrets).Load(Reconciler.Tests.Shared.TestRepository.SampleSpecs);
        Assert.True(result.State is not null, string.Join("\n", result.Diagnostics));
        var web1 = result.State!.Hosts.Single(h => h.Host.Name == "web1").Resources;
        var chain = Assert.Single(web1.OfType<FirewallChainResource>(), c => c.Family == IpFamily.Ipv4);
        Assert.Equal(5, chain.Rules.Count);
        Assert.Contains(web1, r => r.Address.ToString() == "ipset[rc-blocklist-v6]");
    }
}
