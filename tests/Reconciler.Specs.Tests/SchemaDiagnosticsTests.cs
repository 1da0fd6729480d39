using Reconciler.Core.Resources;

namespace Reconciler.Specs.Tests;

public sealed class SchemaDiagnosticsTests : IDisposable
{
    private readonly SpecDirectory _specs = new SpecDirectory().WithDefaultInventory();

    public void Dispose() => _specs.Dispose();

    [Fact]
    public void Unknown_property_suggests_the_closest_allowed_name()
    {
        _specs.Write("files.yaml", """
            kind: resources
            target: { group: all }
            files:
              - path: /etc/a
              - path: /etc/b
              - path: /etc/c
                mod: "0644"
            """);

        Assert.Equal(
            $"{_specs.Path("files.yaml")}:7:5: error RC2001: files[2]: property 'mod' is not allowed; did you mean 'mode'?",
            _specs.Diagnostics());
    }

    [Fact]
    public void Unknown_property_without_a_close_match_lists_the_allowed_names()
    {
        _specs.Write("r.yaml", "kind: resources\ntarget: { group: all }\ngadgets: []\n");

        // The sections are the catalog's, in its order (a new kind's section joins the list without editing this test).
        var sections = string.Join(", ", ResourceKinds.All.SelectMany(k => k.Sections));
        Assert.Equal(
            $"{_specs.Path("r.yaml")}:3:1: error RC2001: property 'gadgets' is not allowed; allowed: kind, target, {sections}",
            _specs.Diagnostics());
        Assert.StartsWith("sysctls, files, permissions, config_lines, dsr, firewall, ", sections);
        Assert.Contains("mariadb, postfix, dovecot", sections);
    }

    [Fact]
    public void Type_enum_required_and_count_errors_are_phrased_for_humans()
    {
        _specs.Write("r.yaml", """
            kind: resources
            target: { group: all, host: web1 }
            files:
              - mode: true
                ensure: gone
            config_lines:
              - path: /etc/x
                key: K
                value: v
                separator: ":"
            """);

        Assert.Equal(
            $"""
            {_specs.Path("r.yaml")}:2:9: error RC2001: target: expected exactly one of 'group', 'host'
            {_specs.Path("r.yaml")}:4:5: error RC2001: files[0]: missing required property 'path'
            {_specs.Path("r.yaml")}:4:11: error RC2001: files[0].mode: expected integer or string, got boolean
            {_specs.Path("r.yaml")}:5:13: error RC2001: files[0].ensure: 'gone' is not one of 'present', 'absent'
            {_specs.Path("r.yaml")}:10:16: error RC2001: config_lines[0].separator: ':' is not one of ' ', '='
            """,
            _specs.Diagnostics());
    }

    [Fact]
    public void Inventory_schema_checks_hosts_and_names()
    {
        _specs.Write("inventory.yaml", """
            kind: inventory
            hosts:
              web 1:
                address: 10.0.0.1
                identity_file: /k
                host_key: ssh-ed25519 KEY
              web2:
                address: 10.0.0.2
                port: 70000
                identity_file: /k
              web3:
                address: ""
                identity_file: /k
                host_key: ssh-ed25519 KEY
                variables: { bad-name: 1 }
            """);

        Assert.Equal(
            $"""
            {_specs.Path("inventory.yaml")}:3:3: error RC2001: hosts: name 'web 1' is not allowed; names must match ^[A-Za-z0-9][A-Za-z0-9._-]{"{0,62}"}$
            {_specs.Path("inventory.yaml")}:8:5: error RC2001: hosts.web2: missing required property 'host_key'
            {_specs.Path("inventory.yaml")}:9:11: error RC2001: hosts.web2.port: 70000 is greater than the maximum 65535
            {_specs.Path("inventory.yaml")}:12:14: error RC2001: hosts.web3.address: must not be empty
            {_specs.Path("inventory.yaml")}:15:18: error RC2001: hosts.web3.variables: name 'bad-name' is not allowed; names must match ^[A-Za-z_][A-Za-z0-9_]*$
            """,
            _specs.Diagnostics());
    }

    [Fact]
    public void Content_and_template_together_are_rejected()
    {
        _specs.Write("t.sbn", "x")
            .Write("r.yaml", """
                kind: resources
                target: { group: all }
                files:
                  - path: /etc/a
                    content: x
                    template: t.sbn
                  - path: /etc/d
                    type: directory
                    content: x
                """);

        Assert.Equal(
            $"""
            {_specs.Path("r.yaml")}:6:15: error RC2001: 'content' and 'template' are mutually exclusive; keep one
            {_specs.Path("r.yaml")}:9:14: error RC2001: a directory cannot have 'content' or 'template'
            """,
            _specs.Diagnostics());
    }
}
