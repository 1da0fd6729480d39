using Reconciler.Core.Diagnostics;
using Reconciler.Core.Specs;
using Reconciler.Specs.Inventory;
using Reconciler.Specs.Yaml;

namespace Reconciler.Specs.Tests;

/// <summary>
/// Class: a spec choosing which MariaDB accounts a plan and apply touch. A declared user's password is compared in every
/// plan ("password changed" or no change: one guess per plan) and create vs update tells whether the account exists;
/// after merge apply sets it. So which accounts specs may manage is the maintainers' list in the inventory, as
/// <c>user:NAME@HOST</c> entries of mariadb.manage, compared exactly; any other declared user is refused at validate
/// at its line (RC3019), whatever its grants, and for a change the base branch's inventory decides.
/// </summary>
public sealed class MariaDbAccountScopeTests : IDisposable
{
    private readonly SpecDirectory _specs = new();

    public void Dispose() => _specs.Dispose();

    // Block and flow sequences, entries unquoted: the shape maintainers write (and README shows).
    private const string Inventory = """
        kind: inventory
        mariadb:
          manage:
            - postfix.*
            - user:postfix@localhost
        groups:
          app:
            mariadb: { manage: [user:app@10.0.0.%] }
        hosts:
          mail1:
            address: 10.0.0.11
            identity_file: /keys/id
            host_key: ssh-ed25519 KEY
            groups: [app]
        """;

    private const string Rule = "only maintainers widen what specs may manage in MariaDB";

    [Fact]
    public void A_user_the_inventory_does_not_list_is_refused_at_its_line_even_with_no_grants()
    {
        // The attack: root's password guessed, no grants at all (nothing else to refuse); and spellings next to a
        // listed account: another host part, another case, the listed pattern's neighbour.
        _specs.Write("inventory.yaml", Inventory).Write("db.yaml", """
            kind: resources
            target: { host: mail1 }
            mariadb:
              users:
                - name: root
                  host: localhost
                  password: guess-1
                - name: postfix
                  host: "%"
                  password: x
                - name: Postfix
                  password: x
                - name: app
                  host: 10.0.0.1
                  password: x
            """);

        var file = _specs.Path("db.yaml");
        var inventory = _specs.Path("inventory.yaml");
        Assert.Equal(
            $"""
            {file}:5:7: error RC3019: mariadb_user[root@localhost]: user:root@localhost is not in mariadb.manage of the inventory ({inventory}) for host 'mail1'; {Rule}
            {file}:8:7: error RC3019: mariadb_user[postfix@%]: user:postfix@% is not in mariadb.manage of the inventory ({inventory}) for host 'mail1'; {Rule}
            {file}:11:7: error RC3019: mariadb_user[Postfix@localhost]: user:Postfix@localhost is not in mariadb.manage of the inventory ({inventory}) for host 'mail1'; {Rule}
            {file}:13:7: error RC3019: mariadb_user[app@10.0.0.1]: user:app@10.0.0.1 is not in mariadb.manage of the inventory ({inventory}) for host 'mail1'; {Rule}
            """,
            _specs.Diagnostics());
        Assert.Null(_specs.Load().State);
    }

    [Fact]
    public void Listed_accounts_validate_and_a_listed_database_lists_no_account()
    {
        _specs.Write("inventory.yaml", Inventory).Write("db.yaml", """
            kind: resources
            target: { host: mail1 }
            mariadb:
              users:
                - name: postfix
                  password: x
                  grants: [ { on: postfix.*, privileges: [SELECT] } ]
                - name: app
                  host: 10.0.0.%
                  password: y
            """);

        Assert.Equal("", _specs.Diagnostics());

        // postfix.* lets specs manage the database, not an account named after it or any other.
        _specs.Write("inventory.yaml", Inventory.Replace("    - user:postfix@localhost\n", ""));
        Assert.Equal(
            $"{_specs.Path("db.yaml")}:5:7: error RC3019: mariadb_user[postfix@localhost]: user:postfix@localhost is not in mariadb.manage of the inventory ({_specs.Path("inventory.yaml")}) for host 'mail1'; {Rule}",
            _specs.Diagnostics());
    }

    [Fact]
    public void For_a_change_the_bases_inventory_decides_which_accounts_whatever_the_pull_request_lists()
    {
        const string spec = """
            kind: resources
            target: { host: mail1 }
            mariadb:
              users:
                - name: backup
                  password: guess-2
                - name: postfix
                  password: x
            """;
        // The pull request lists the account it declares in its own inventory and drops one the base lists.
        var pullRequestInventory = Inventory.Replace("user:postfix@localhost", "user:backup@localhost");
        _specs.Write("inventory.yaml", pullRequestInventory).Write("db.yaml", spec);
        var pullRequest = new SpecLoader().Load(_specs.Root);
        Assert.Contains(pullRequest.Diagnostics, d => d.Message.StartsWith("mariadb_user[postfix@localhost]: user:postfix@localhost is not", StringComparison.Ordinal));

        // Loaded as a change against the base's inventory: the base's list alone decides, both ways.
        var asChange = _specs.LoadAsChange(SpecDirectory.Reviewed(Inventory));
        Assert.Equal(
            [$"mariadb_user[backup@localhost]: user:backup@localhost is not in mariadb.manage of the inventory (base/inventory.yaml) for host 'mail1'; {Rule}"],
            asChange.Diagnostics.Select(d => d.Message));
        Assert.Equal(_specs.Path("db.yaml"), asChange.Diagnostics.Single().Location.File);
        Assert.Equal(5, asChange.Diagnostics.Single().Location.Line);
        Assert.Null(asChange.State);
    }

    [Fact]
    public void The_inventory_cannot_list_a_system_account_or_an_account_entry_of_another_shape()
    {
        _specs.Write("inventory.yaml", Inventory.Replace("    - user:postfix@localhost\n", "    - user:root@localhost\n    - user:mysql@%\n"));
        Assert.Equal(
            $"""
            {_specs.Path("inventory.yaml")}:5:7: error RC3012: 'root' is a MariaDB system account (reconciler itself connects as root over the unix socket); it is never managed
            {_specs.Path("inventory.yaml")}:6:7: error RC3012: 'mysql' is a MariaDB system account (reconciler itself connects as root over the unix socket); it is never managed
            """,
            _specs.Diagnostics());

        foreach (var bad in new[] { "user:postfix", "user:a@b@c", "'postfix'@'localhost'", "user:@localhost", "postfix@localhost", "user: postfix@localhost" })
        {
            _specs.Write("inventory.yaml", Inventory.Replace("    - user:postfix@localhost\n", $"    - \"{bad}\"\n"));
            Assert.Contains("error RC2001: mariadb.manage[1]:", _specs.Diagnostics());
        }
    }
}
