using Reconciler.Core.Diagnostics;
using Reconciler.Core.Specs;
using Reconciler.Specs.Inventory;
using Reconciler.Specs.Yaml;

namespace Reconciler.Specs.Tests;

/// <summary>
/// Which MariaDB databases and tables a spec may manage is the maintainers' list in the inventory (mariadb.manage, at
/// the top level, per group and per host); a spec naming anything else — as a database, a table (with its rows) or a
/// grant's object — is refused at validate at its line (RC3019). The check is a function of the trusted inventory and
/// the declarations, so the plan job can hold a pull request to the base branch's list.
/// </summary>
public sealed class MariaDbScopeTests : IDisposable
{
    private readonly SpecDirectory _specs = new();

    public void Dispose() => _specs.Dispose();

    private const string Inventory = """
        kind: inventory
        mariadb: { manage: [shared.*] }
        groups:
          mail:
            mariadb: { manage: [postfix.*] }
        hosts:
          mail1:
            address: 10.0.0.11
            identity_file: /keys/id
            host_key: ssh-ed25519 KEY
            groups: [mail]
            mariadb: { manage: [app.users] }
          web1:
            address: 10.0.0.12
            identity_file: /keys/id
            host_key: ssh-ed25519 KEY
        """;

    private const string Spec = """
        kind: resources
        target: { group: all }
        mariadb:
          databases:
            - name: shared
            - name: postfix
          tables:
            - database: app
              name: users
              columns: { id: int }
              primary_key: [id]
              rows: [ { id: 1 } ]
            - database: hr
              name: salaries
              columns: { id: int, amount: int }
              primary_key: [id]
              exclusive: true
              rows: [ { id: 0 } ]
          users:
            - name: reader
              password: x
              grants: [ { on: app.*, privileges: [SELECT] }, { on: shared.*, privileges: [SELECT] } ]
        """;

    [Fact]
    public void Objects_the_inventory_does_not_list_for_a_host_are_refused_at_their_line()
    {
        _specs.Write("inventory.yaml", Inventory).Write("db.yaml", Spec);

        var file = _specs.Path("db.yaml");
        var inventory = _specs.Path("inventory.yaml");
        Assert.Equal(
            $"""
            {file}:6:7: error RC3019: mariadb_database[postfix]: postfix.* is not in mariadb.manage of the inventory ({inventory}) for host 'web1'; only maintainers widen what specs may manage in MariaDB
            {file}:8:7: error RC3019: mariadb_table[app.users]: app.users is not in mariadb.manage of the inventory ({inventory}) for host 'web1'; only maintainers widen what specs may manage in MariaDB
            {file}:13:7: error RC3019: mariadb_table[hr.salaries]: hr.salaries is not in mariadb.manage of the inventory ({inventory}) for hosts 'mail1', 'web1'; only maintainers widen what specs may manage in MariaDB
            {file}:20:7: error RC3019: mariadb_user[reader@localhost]: user:reader@localhost is not in mariadb.manage of the inventory ({inventory}) for hosts 'mail1', 'web1'; only maintainers widen what specs may manage in MariaDB
            {file}:20:7: error RC3019: mariadb_user[reader@localhost]: app.* is not in mariadb.manage of the inventory ({inventory}) for hosts 'mail1', 'web1'; only maintainers widen what specs may manage in MariaDB
            """,
            _specs.Diagnostics());
    }

    [Fact]
    public void An_inventory_listing_every_object_validates()
    {
        _specs.Write("inventory.yaml", Inventory.Replace("mariadb: { manage: [shared.*] }", "mariadb: { manage: [shared.*, postfix.*, app.*, hr.salaries, user:reader@localhost] }"))
            .Write("db.yaml", Spec);

        Assert.Equal("", _specs.Diagnostics());
    }

    [Fact]
    public void The_trusted_inventory_decides_alone_whatever_the_pull_requests_inventory_lists()
    {
        // The pull request's inventory lists everything and adds a host to the mail group; the base branch's does not.
        _specs.Write("inventory.yaml", Inventory.Replace("mariadb: { manage: [shared.*] }", "mariadb: { manage: [shared.*, postfix.*, app.*, hr.salaries, user:reader@localhost] }"))
            .Write("db.yaml", Spec.Replace("target: { group: all }", "target: { group: mail }"));
        var pullRequest = _specs.Load();
        Assert.Empty(pullRequest.Diagnostics);

        var trusted = ReadInventory(Inventory.Replace("groups: [mail]\n    mariadb: { manage: [app.users] }", "groups: []"));
        var refused = MariaDbScopeCheck.Check(trusted, pullRequest.State!.Hosts).Select(d => d.Message).ToList();

        Assert.Equal(
            [
                "mariadb_database[postfix]: postfix.* is not in mariadb.manage of the inventory (base/inventory.yaml) for host 'mail1'; only maintainers widen what specs may manage in MariaDB",
                "mariadb_table[app.users]: app.users is not in mariadb.manage of the inventory (base/inventory.yaml) for host 'mail1'; only maintainers widen what specs may manage in MariaDB",
                "mariadb_table[hr.salaries]: hr.salaries is not in mariadb.manage of the inventory (base/inventory.yaml) for host 'mail1'; only maintainers widen what specs may manage in MariaDB",
                "mariadb_user[reader@localhost]: user:reader@localhost is not in mariadb.manage of the inventory (base/inventory.yaml) for host 'mail1'; only maintainers widen what specs may manage in MariaDB",
                "mariadb_user[reader@localhost]: app.* is not in mariadb.manage of the inventory (base/inventory.yaml) for host 'mail1'; only maintainers widen what specs may manage in MariaDB",
            ],
            refused);
    }

    [Fact]
    public void A_host_the_trusted_inventory_does_not_declare_gets_only_the_top_level_list()
    {
        var trusted = ReadInventory(Inventory);

        Assert.Equal(["shared.*"], trusted.MariaDbScopeFor("added-by-pr").Entries);
        Assert.Equal(["shared.*", "postfix.*", "app.users"], trusted.MariaDbScopeFor("mail1").Entries);
    }

    [Fact]
    public void The_inventory_cannot_list_a_system_schema_or_something_that_is_not_db_dot_table()
    {
        _specs.Write("inventory.yaml", Inventory.Replace("[shared.*]", "[shared.*, mysql.user, Sys.*, postfix]"));

        var text = _specs.Diagnostics();

        Assert.Equal($"{_specs.Path("inventory.yaml")}:2:50: error RC2001: mariadb.manage[3]: 'postfix' does not match the pattern ^([A-Za-z0-9_]{{1,64}}\\.(\\*|[A-Za-z0-9_]{{1,64}})|user:[A-Za-z0-9_]{{1,64}}@[A-Za-z0-9_.%:-]{{1,255}})$", text);
        _specs.Write("inventory.yaml", Inventory.Replace("[shared.*]", "[shared.*, mysql.user, Sys.*]"));
        Assert.Equal(
            $"""
            {_specs.Path("inventory.yaml")}:2:31: error RC3012: 'mysql' is a MariaDB system schema; it holds accounts and password hashes and is never managed
            {_specs.Path("inventory.yaml")}:2:43: error RC3012: 'Sys' is a MariaDB system schema; it holds accounts and password hashes and is never managed
            """,
            _specs.Diagnostics());
    }

    private static HostInventory ReadInventory(string yaml)
    {
        var diagnostics = new List<Diagnostic>();
        var root = (SpecMapping)SpecYamlReader.Read(yaml.Replace("KEY", SpecDirectory.Ed25519Key), "base/inventory.yaml", diagnostics)!;
        var inventory = InventoryReader.Read(root, "base/inventory.yaml", "/specs", diagnostics);
        Assert.Empty(diagnostics);
        return inventory!;
    }
}
