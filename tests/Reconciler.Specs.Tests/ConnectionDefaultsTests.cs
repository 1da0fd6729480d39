namespace Reconciler.Specs.Tests;

/// <summary>
/// Issue 21: user, port, identity_file and connect_timeout may be set under defaults and per group; a host's own
/// setting wins, then the last of its groups that sets it, then defaults.
/// </summary>
public sealed class ConnectionDefaultsTests : IDisposable
{
    private readonly SpecDirectory _specs = new();

    public void Dispose() => _specs.Dispose();

    private const string Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEJtUxuTy1r6MvOdi/hrxqJP1BUicmr5R1J+UvnLsnqs";

    [Fact]
    public void A_hosts_setting_wins_then_its_last_group_then_defaults()
    {
        _specs.Write("inventory.yaml", $$"""
            kind: inventory
            defaults: { user: deploy, port: 2222, identity_file: keys/default, connect_timeout: 7 }
            groups:
              web: { port: 2200, identity_file: keys/web }
              edge: { port: 2201 }
            hosts:
              plain: { address: 192.0.2.1, host_key: "{{Key}}" }
              grouped: { address: 192.0.2.2, host_key: "{{Key}}", groups: [web, edge] }
              own: { address: 192.0.2.3, host_key: "{{Key}}", groups: [web], user: root, port: 22, identity_file: keys/own, connect_timeout: 30 }
            """);

        var result = _specs.Load();

        Assert.Empty(result.Diagnostics);
        var hosts = result.State!.Hosts.ToDictionary(h => h.Host.Name, h => h.Host);
        Assert.Equal(("deploy", 2222, Path.Combine(_specs.Root, "keys/default"), TimeSpan.FromSeconds(7)),
            (hosts["plain"].User, hosts["plain"].Port, hosts["plain"].IdentityFile, hosts["plain"].ConnectTimeout));
        Assert.Equal(("deploy", 2201, Path.Combine(_specs.Root, "keys/web")), (hosts["grouped"].User, hosts["grouped"].Port, hosts["grouped"].IdentityFile));
        Assert.Equal(("root", 22, Path.Combine(_specs.Root, "keys/own"), TimeSpan.FromSeconds(30)),
            (hosts["own"].User, hosts["own"].Port, hosts["own"].IdentityFile, hosts["own"].ConnectTimeout));
    }

    [Fact]
    public void A_host_with_no_identity_file_anywhere_is_valid_and_left_to_the_ssh_agent()
    {
        _specs.Write("inventory.yaml", $$"""
            kind: inventory
            hosts:
              web1: { address: 192.0.2.1, host_key: "{{Key}}" }
            """);

        var result = _specs.Load();

        Assert.Empty(result.Diagnostics);
        Assert.Null(Assert.Single(result.State!.Hosts).Host.IdentityFile);
    }

    [Fact]
    public void A_connect_timeout_out_of_range_is_a_schema_error()
    {
        _specs.Write("inventory.yaml", $$"""
            kind: inventory
            defaults: { identity_file: k, connect_timeout: 0 }
            hosts:
              web1: { address: 192.0.2.1, host_key: "{{Key}}" }
            """);

        Assert.Contains("connect_timeout", _specs.Diagnostics());
    }
}
