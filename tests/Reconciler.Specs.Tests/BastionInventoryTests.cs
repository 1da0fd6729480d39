using Reconciler.Core.Model;

namespace Reconciler.Specs.Tests;

/// <summary>
/// Issue 22: a host or group may say <c>via: BASTION</c> (another host of the inventory, chains allowed); unknown names
/// and cycles are errors where the <c>via</c> is written; <c>bastion_only</c> hosts are routes, not managed hosts; and the
/// route is part of a host's connection, so a change to it keeps a pull request's plan from contacting the host.
/// </summary>
public sealed class BastionInventoryTests : IDisposable
{
    private readonly SpecDirectory _specs = new();

    public void Dispose() => _specs.Dispose();

    private static readonly string Key = $"ssh-ed25519 {SpecDirectory.Ed25519Key}";

    [Fact]
    public void A_hosts_via_comes_from_itself_or_its_group_and_chains_through_the_bastions_connections()
    {
        _specs.Write("inventory.yaml", $$"""
            kind: inventory
            defaults: { parallel: 50 }
            groups:
              inner: { via: hop2 }
            hosts:
              hop1: { address: 192.0.2.1, host_key: "{{Key}}", bastion_only: true, port: 2222 }
              hop2: { address: 10.0.0.2, host_key: "{{Key}}", via: hop1, groups: [inner], variables: { site: x } }
              web1: { address: 10.1.0.1, host_key: "{{Key}}", groups: [inner] }
              web2: { address: 10.1.0.2, host_key: "{{Key}}", via: hop1 }
            """);

        var result = _specs.Load();

        Assert.Empty(result.Diagnostics);
        var hosts = result.State!.Hosts.ToDictionary(h => h.Host.Name, h => h.Host);
        // bastion_only: hop1 carries connections but is not a managed host.
        Assert.Equal(["hop2", "web1", "web2"], hosts.Keys.Order());
        Assert.Equal(["hop1", "hop2", "web1"], hosts["web1"].Route.Select(h => h.Name));
        Assert.Equal(("192.0.2.1", 2222), (hosts["web1"].Via!.Via!.Address, hosts["web1"].Via!.Via!.Port));
        // The host's own via wins over its group's (hop2 is in 'inner', whose via is hop2 itself).
        Assert.Equal("hop1", hosts["hop2"].Via!.Name);
        Assert.Empty(hosts["web1"].Via!.Variables);
        Assert.Equal(50, result.State.Parallel);
    }

    [Fact]
    public void An_unknown_via_is_an_error_where_it_is_written_with_a_suggestion()
    {
        _specs.Write("inventory.yaml", $$"""
            kind: inventory
            hosts:
              bastion: { address: 192.0.2.1, host_key: "{{Key}}" }
              web1: { address: 10.1.0.1, host_key: "{{Key}}", via: bastoin }
            """);

        Assert.Equal(
            // Column 129: where bastoin starts, after the key.
            $"{_specs.Path("inventory.yaml")}:4:129: error RC3006: host 'web1': via 'bastoin' is not a host of this inventory; did you mean 'bastion'?",
            _specs.Diagnostics().Replace(Directory.GetCurrentDirectory() + "/", ""));
    }

    [Fact]
    public void Bastions_that_lead_back_to_a_host_are_a_cycle_at_each_hosts_via()
    {
        _specs.Write("inventory.yaml", $$"""
            kind: inventory
            hosts:
              a: { address: 192.0.2.1, host_key: "{{Key}}", via: b }
              b: { address: 192.0.2.2, host_key: "{{Key}}", via: a }
              self: { address: 192.0.2.3, host_key: "{{Key}}", via: self }
              c: { address: 192.0.2.4, host_key: "{{Key}}", via: a }
            """);

        var diagnostics = _specs.Load().Diagnostics.Select(d => (d.Code, d.Location.Line, d.Message)).ToList();

        Assert.Equal(
            [
                ("RC3020", 3, "host 'a': its bastions lead back to it (a -> b -> a); no route reaches it"),
                ("RC3020", 4, "host 'b': its bastions lead back to it (b -> a -> b); no route reaches it"),
                ("RC3020", 5, "host 'self': its bastions lead back to it (self -> self); no route reaches it"),
            ],
            diagnostics);
    }

    [Fact]
    public void A_target_naming_a_bastion_only_host_is_an_error()
    {
        _specs.Write("inventory.yaml", $$"""
            kind: inventory
            hosts:
              jump: { address: 192.0.2.1, host_key: "{{Key}}", bastion_only: true }
            """);
        _specs.Write("jump.yaml", """
            kind: resources
            target: { host: jump }
            sysctls:
              - { key: net.ipv4.ip_forward, value: 0 }
            """);

        Assert.Contains("error RC3006: target host 'jump' is marked bastion_only in the inventory", _specs.Diagnostics());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void A_parallel_default_out_of_range_is_a_schema_error(int parallel)
    {
        _specs.Write("inventory.yaml", $$"""
            kind: inventory
            defaults: { parallel: {{parallel}} }
            hosts:
              web1: { address: 192.0.2.1, host_key: "{{Key}}" }
            """);

        Assert.Contains("parallel", _specs.Diagnostics());
        Assert.Contains("error RC2001", _specs.Diagnostics());
    }

    [Theory]
    [InlineData("web1: { address: 10.1.0.1, host_key: \"KEY\" }", "via")]
    [InlineData("web1: { address: 10.1.0.1, host_key: \"KEY\", via: other }", "via")]
    [InlineData("web1: { address: 10.1.0.1, host_key: \"KEY\", via: jump }\n  jump: { address: 192.0.2.99, host_key: \"KEY\" }", "via (bastion jump's connection)")]
    public void A_change_to_how_a_host_is_routed_is_a_change_of_its_connection(string changedEntry, string what)
    {
        const string Base = """
            kind: inventory
            hosts:
              jump: { address: 192.0.2.1, host_key: "KEY" }
              other: { address: 192.0.2.2, host_key: "KEY" }
              web1: { address: 10.1.0.1, host_key: "KEY", via: jump }
            """;
        var trusted = Trusted(Base);
        var changed = Base.Replace("web1: { address: 10.1.0.1, host_key: \"KEY\", via: jump }", changedEntry);
        if (changedEntry.Contains("192.0.2.99")) changed = changed.Replace("  jump: { address: 192.0.2.1, host_key: \"KEY\" }\n", "");
        var head = Trusted(changed);

        Assert.Null(trusted.WhyNotContacted(trusted.Host("web1")!));
        Assert.Contains($"this change sets {what} of the host", trusted.WhyNotContacted(head.Host("web1")!));
    }

    /// <summary>
    /// Every way a pull request can change a host's route — its group's via, a chained bastion's own via, address, port or
    /// host key, the first hop's address — changes the host's connection, so its plan does not contact it. Marking a
    /// bastion bastion_only changes no route: the host is still contacted.
    /// </summary>
    [Theory]
    [InlineData("  inner: { via: jump }", "  inner: { via: other }", "via")]
    [InlineData("  jump: { address: 192.0.2.1, host_key: \"KEY\", via: outer }", "  jump: { address: 192.0.2.1, host_key: \"KEY\" }", "via (bastion jump's connection)")]
    [InlineData("  jump: { address: 192.0.2.1, host_key: \"KEY\", via: outer }", "  jump: { address: 192.0.2.1, host_key: \"KEY\", via: outer, port: 2222 }", "via (bastion jump's connection)")]
    [InlineData("  jump: { address: 192.0.2.1, host_key: \"KEY\", via: outer }", "  jump: { address: 192.0.2.1, host_key: \"SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU\", via: outer }", "via (bastion jump's connection)")]
    [InlineData("  jump: { address: 192.0.2.1, host_key: \"KEY\", via: outer }", "  jump: { address: 192.0.2.1, host_key: \"KEY\", via: outer, user: admin }", "via (bastion jump's connection)")]
    [InlineData("  outer: { address: 192.0.2.9, host_key: \"KEY\" }", "  outer: { address: 192.0.2.66, host_key: \"KEY\" }", "via (bastion jump's connection)")]
    [InlineData("  outer: { address: 192.0.2.9, host_key: \"KEY\" }", "  outer: { address: 192.0.2.9, host_key: \"KEY\", connect_timeout: 90 }", "via (bastion jump's connection)")]
    [InlineData("  jump: { address: 192.0.2.1, host_key: \"KEY\", via: outer }", "  jump: { address: 192.0.2.1, host_key: \"KEY\", via: outer, bastion_only: true }", null)]
    public void Every_change_of_a_route_through_groups_and_chained_bastions_is_a_change_of_the_hosts_connection(string entry, string changedEntry, string? what)
    {
        const string Base = """
            kind: inventory
            groups:
              inner: { via: jump }
            hosts:
              outer: { address: 192.0.2.9, host_key: "KEY" }
              jump: { address: 192.0.2.1, host_key: "KEY", via: outer }
              other: { address: 192.0.2.2, host_key: "KEY" }
              web1: { address: 10.1.0.1, host_key: "KEY", groups: [inner] }
            """;
        Assert.Contains(entry, Base); // the change must apply, or this test would prove nothing
        var trusted = Trusted(Base);
        var head = Trusted(Base.Replace(entry, changedEntry, StringComparison.Ordinal));

        Assert.Null(trusted.WhyNotContacted(trusted.Host("web1")!));
        if (what is null) Assert.Null(trusted.WhyNotContacted(head.Host("web1")!));
        else Assert.Contains($"this change sets {what} of the host", trusted.WhyNotContacted(head.Host("web1")!));
    }

    /// <summary>A bastion whose own entry has an error is reported there, once: routing its hosts once ended validate with a stack trace.</summary>
    [Fact]
    public void A_bastion_whose_own_entry_has_an_error_is_reported_there_and_its_hosts_are_not_routed()
    {
        _specs.Write("inventory.yaml", $$"""
            kind: inventory
            hosts:
              jump: { address: "not an address!", host_key: "{{Key}}" }
              web1: { address: 10.1.0.1, host_key: "{{Key}}", via: jump }
            """);

        var diagnostics = _specs.Load().Diagnostics.Select(d => (d.Code, d.Location.Line)).ToList();

        Assert.Equal([("RC3004", 3)], diagnostics);
    }

    /// <summary>
    /// A route passes at most <see cref="Inventory.BastionRoutes.MaxBastions"/> bastions: the host one hop further is an
    /// error at its via. Unbounded, a pull request's chain of 3,000 hosts took validation 20 s (each host's walk along the
    /// whole chain), and every longer one more.
    /// </summary>
    [Fact]
    public void A_route_through_more_bastions_than_one_route_may_pass_is_an_error_at_its_via()
    {
        var max = Inventory.BastionRoutes.MaxBastions;
        var hops = Enumerable.Range(1, max + 1).Select(i => $"  h{i}: {{ address: 192.0.2.{i}, host_key: \"{Key}\", via: h{i - 1} }}");
        _specs.Write("inventory.yaml", string.Join("\n", [
            "kind: inventory", "hosts:", $"  h0: {{ address: 192.0.2.100, host_key: \"{Key}\" }}", .. hops]) + "\n");

        var diagnostics = _specs.Load().Diagnostics.Select(d => (d.Code, d.Location.Line, d.Message)).ToList();

        var chain = string.Join(" -> ", Enumerable.Range(0, max + 1).Reverse().Select(i => $"h{i + 1}").Append("h0").Take(max + 2));
        Assert.Equal([("RC3021", max + 4, $"host 'h{max + 1}': its route passes more than {max} bastions ({chain}); a route has at most {max}")], diagnostics);
    }

    private TrustedInventory Trusted(string inventory)
    {
        _specs.Write("inventory.yaml", inventory.Replace("KEY", Key));
        var result = _specs.Load();
        Assert.Empty(result.Diagnostics);
        return TrustedInventory.Of(result.State);
    }
}
