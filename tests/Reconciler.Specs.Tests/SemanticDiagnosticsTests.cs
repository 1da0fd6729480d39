namespace Reconciler.Specs.Tests;

public sealed class SemanticDiagnosticsTests : IDisposable
{
    private readonly SpecDirectory _specs = new();

    public void Dispose() => _specs.Dispose();

    [Fact]
    public void Inventory_addresses_host_keys_groups_and_reserved_names_are_checked()
    {
        _specs.Write("inventory.yaml", """
            kind: inventory
            groups:
              all: {}
              hardened: {}
            hosts:
              web1:
                address: 10.0.0.256
                identity_file: /k
                host_key: ssh-ed25519 AAAA!!
                groups: [hardend]
              web2:
                address: "-bad-.example"
                identity_file: /k
                host_key: ssh-dss AAAA
              web3:
                address: fe80::1
                identity_file: /k
                host_key: "ecdsa-sha2-nistp256 KEY"
                variables: { host: x }
              web4:
                address: web4.example.com
                identity_file: /k
                host_key: SHA256:abc
            """);

        var inventory = _specs.Path("inventory.yaml");
        Assert.Equal(
            $"""
            {inventory}:3:3: error RC3011: group 'all' is implicit (it contains every host) and cannot be declared; use top-level 'variables'
            {inventory}:7:14: error RC3004: host 'web1': address '10.0.0.256' is not an IPv4 address, IPv6 address or DNS name
            {inventory}:9:15: error RC3010: host 'web1': host_key data is not valid base64
            {inventory}:10:14: error RC3006: host 'web1': group 'hardend' is not declared under 'groups'; did you mean 'hardened'?
            {inventory}:12:14: error RC3004: host 'web2': address '-bad-.example' is not an IPv4 address, IPv6 address or DNS name
            {inventory}:14:15: error RC3010: host 'web2': host_key algorithm 'ssh-dss' is not one of ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, rsa-sha2-256, rsa-sha2-512
            {inventory}:18:15: error RC3010: host 'web3': host_key data is a 'ssh-ed25519' key, not 'ecdsa-sha2-nistp256'
            {inventory}:19:18: error RC3012: variable name 'host' is reserved: templates see the host's name, address and groups under it
            {inventory}:23:15: error RC3010: host 'web4': host_key fingerprint must be 'SHA256:' followed by 43 base64 characters (a 32-byte hash)
            """,
            _specs.Diagnostics());
    }

    [Fact]
    public void Resource_paths_modes_and_values_are_checked()
    {
        _specs.WithDefaultInventory().Write("r.yaml", """
            kind: resources
            target: { group: all }
            sysctls:
              - key: net.ipv4.x
                value: ""
              - key: net.ipv4.conf.eth0.rp_filter
                value: "1\n2"
            files:
              - path: etc/a
              - path: /etc//b
                mode: 999
              - path: /etc/c/
                mode: "12345"
            config_lines:
              - path: /etc/./login.defs
                key: "UMASK ="
                value: "a\nb"
            """);

        var file = _specs.Path("r.yaml");
        Assert.Equal(
            $"""
            {file}:5:12: error RC3012: sysctl value must not be empty
            {file}:7:12: error RC3012: sysctl value must be a single line
            {file}:9:11: error RC3002: path 'etc/a' is not absolute
            {file}:10:11: error RC3002: path '/etc//b' is not normalized (it contains '//'); write '/etc/b'
            {file}:11:11: error RC3003: mode '999' is not 3 or 4 octal digits (0000-7777)
            {file}:12:11: error RC3002: path '/etc/c/' is not normalized (it contains a trailing slash); write '/etc/c'
            {file}:13:11: error RC3003: mode '12345' is not 3 or 4 octal digits (0000-7777)
            {file}:15:11: error RC3002: path '/etc/./login.defs' is not normalized (it contains '/./'); write '/etc/login.defs'
            {file}:16:10: error RC3012: config line key 'UMASK =' must not contain whitespace, control characters, '=' or '#'
            {file}:17:12: error RC3012: config line value must be a single line
            """,
            _specs.Diagnostics());
    }

    [Fact]
    public void Duplicate_resources_reaching_one_host_are_reported_at_the_second_declaration()
    {
        _specs.WithDefaultInventory()
            .Write("a.yaml", """
                kind: resources
                target: { group: all }
                sysctls:
                  - key: net.ipv4.ip_forward
                    value: 1
                files:
                  - path: /etc/shadow
                config_lines:
                  - path: /etc/x
                    key: K
                    value: 1
                  - path: /etc/x
                    key: K
                    value: 2
                """)
            .Write("b.yaml", """
                kind: resources
                target: { group: hardened }
                sysctls:
                  - key: net.ipv4.ip_forward
                    value: 0
                files:
                  - path: /etc/shadow
                """);

        var (a, b) = (_specs.Path("a.yaml"), _specs.Path("b.yaml"));
        Assert.Equal(
            $"""
            {a}:12:5: error RC3001: config_line[/etc/x:K] is already declared at {a}:9:5 (both apply to hosts 'web1', 'web2')
            {b}:4:5: error RC3001: sysctl[net.ipv4.ip_forward] is already declared at {a}:4:5 (both apply to host 'web1')
            {b}:7:5: error RC3001: file[/etc/shadow] is already declared at {a}:7:5 (both apply to host 'web1')
            """,
            _specs.Diagnostics());
    }

    [Fact]
    public void Unknown_targets_are_reported_with_a_suggestion()
    {
        _specs.WithDefaultInventory()
            .Write("g.yaml", "kind: resources\ntarget: { group: hardned }\n")
            .Write("h.yaml", "kind: resources\ntarget: { host: web9 }\n");

        var inventory = _specs.Path("inventory.yaml");
        Assert.Equal(
            $"""
            {_specs.Path("g.yaml")}:2:18: error RC3006: target group 'hardned' is not declared in the inventory ({inventory}); did you mean 'hardened'?
            {_specs.Path("h.yaml")}:2:17: error RC3006: target host 'web9' is not declared in the inventory ({inventory}); did you mean 'web1'?
            """,
            _specs.Diagnostics());
    }

    [Fact]
    public void Template_problems_are_reported_in_the_template_file_naming_hosts_where_only_some_lack_a_variable()
    {
        _specs.WithDefaultInventory()
            .Write("r.yaml", """
                kind: resources
                target: { group: all }
                files:
                  - path: /etc/missing
                    template: templates/nope.sbn
                  - path: /etc/syntax
                    template: templates/syntax.sbn
                  - path: /etc/typo
                    template: templates/typo.sbn
                  - path: /etc/some
                    template: templates/some.sbn
                  - path: /etc/member
                    template: templates/member.sbn
                """)
            .Write("templates/syntax.sbn", "line one\n{{ if }}\n")
            .Write("templates/typo.sbn", "{{ host.name }}: {{ rle }}\n")
            .Write("templates/some.sbn", "{{ for x in [1] }}{{ x }}{{ end }}{{ y = 2 }}{{ y }} {{ role | string.upcase }}\n")
            .Write("templates/member.sbn", "\n  {{ host.nmae }}\n");
        const string ifError = "Error while parsing if statement: Expecting <expression> instead of `}}` in: if <expression> ... end|else|else if";

        Assert.Equal(
            $"""
            {_specs.Path("r.yaml")}:5:15: error RC3007: template 'templates/nope.sbn' not found (looked for {_specs.Path("templates/nope.sbn")})
            {_specs.Path("templates/member.sbn")}:2:11: error RC3005: Cannot get member with name nmae. (rendering for hosts 'web1', 'web2')
            {_specs.Path("templates/some.sbn")}:1:57: error RC3005: variable 'role' is not defined for host 'web2'
            {_specs.Path("templates/syntax.sbn")}:2:7: error RC3008: template syntax error: {ifError}
            {_specs.Path("templates/typo.sbn")}:1:21: error RC3005: unknown variable 'rle'; did you mean 'role'?
            """,
            _specs.Diagnostics());
    }

    [Fact]
    public void Rendered_output_over_one_mebibyte_is_an_error()
    {
        _specs.WithDefaultInventory()
            .Write("r.yaml", "kind: resources\ntarget: { host: web2 }\nfiles:\n  - path: /etc/big\n    template: big.sbn\n")
            .Write("big.sbn", "{{ for i in 1..900 }}" + new string('x', 2000) + "{{ end }}");

        Assert.Equal(
            $"{_specs.Path("big.sbn")}:1:22: error RC3008: Rendered output exceeds OutputLimit `1048576`. (rendering for host 'web2')",
            _specs.Diagnostics());
    }

    [Fact]
    public void Missing_inventory_is_reported_at_the_specs_directory()
    {
        _specs.Write("r.yaml", "kind: resources\ntarget: { group: all }\n");

        Assert.Equal(
            $"{_specs.Root}:1:1: error RC3009: no inventory: exactly one file with 'kind: inventory' must declare the hosts",
            _specs.Diagnostics());
    }

    [Fact]
    public void Second_inventory_is_reported_naming_the_first()
    {
        _specs.WithDefaultInventory().Write("more/inventory.yaml", "# second\nkind: inventory\n");

        Assert.Equal(
            $"{_specs.Path("more/inventory.yaml")}:2:1: error RC3011: more than one inventory; the first is {_specs.Path("inventory.yaml")}",
            _specs.Diagnostics());
    }

    [Fact]
    public void Problems_in_several_files_are_all_reported_in_one_run()
    {
        _specs
            .Write("inventory.yaml", """
                kind: inventory
                hosts:
                  web1:
                    address: "10.0.0.1 "
                    identity_file: /k
                    host_key: ssh-ed25519 KEY
                """)
            .Write("a.yaml", "kind: resources\ntarget: { group: all }\nfiles:\n  - path: /etc/a\n    mode: \"888\"\n")
            .Write("b.yaml", "kind: resources\ntarget: { group: all }\nfiles:\n  - pth: /etc/b\n")
            .Write("c.yaml", "kind: resources\ntarget: [\n")
            .Write("d.yaml", "kind: resources\ntarget: { group: all }\nfiles:\n  - path: /etc/d\n    template: d.sbn\n");

        var result = _specs.Load();

        Assert.Null(result.State);
        Assert.True(result.HasErrors);
        Assert.Equal(
            $"""
            {_specs.Path("a.yaml")}:5:11: error RC3003: mode '888' is not 3 or 4 octal digits (0000-7777)
            {_specs.Path("b.yaml")}:4:5: error RC2001: files[0]: missing required property 'path'
            {_specs.Path("b.yaml")}:4:5: error RC2001: files[0]: property 'pth' is not allowed; did you mean 'path'?
            {_specs.Path("c.yaml")}:3:1: error RC1001: YAML syntax: While parsing a node, did not find expected node content.
            {_specs.Path("d.yaml")}:5:15: error RC3007: template 'd.sbn' not found (looked for {_specs.Path("d.sbn")})
            {_specs.Path("inventory.yaml")}:4:14: error RC3004: host 'web1': address '10.0.0.1 ' is not an IPv4 address, IPv6 address or DNS name
            """,
            string.Join("\n", result.Diagnostics));
    }
}
