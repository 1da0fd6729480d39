using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Resources.ConfigLines;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Resources.Sysctl;

namespace Reconciler.Specs.Tests;

public sealed class ValidSpecTests : IDisposable
{
    private const string Fingerprint = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";

    private readonly SpecDirectory _specs = new();

    public void Dispose() => _specs.Dispose();

    [Fact]
    public void Valid_specs_produce_each_hosts_layered_variables_and_targeted_resources()
    {
        _specs
            .Write("inventory.yaml", """
                # yaml-language-server: $schema=../schemas/inventory.schema.json
                kind: inventory
                variables:
                  banner_org: Example Corp
                  umask: "022"
                  ports: [80, 443]
                groups:
                  hardened:
                    variables: { umask: "077", level: 2 }
                  web:
                    variables: { level: 3, tuning: { backlog: 4096, ratio: 0.5, on: true, none: ~ } }
                  dsr-pool: {}
                hosts:
                  web1:
                    address: 10.0.0.11
                    identity_file: ~/.ssh/id_ed25519
                    host_key: "ssh-ed25519 KEY admin@laptop"
                    groups: [hardened, web]
                    variables: { role: web }
                  db1:
                    address: db1.example.com
                    port: 2222
                    user: deploy
                    identity_file: keys/db1
                    host_key: SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU
                """)
            .Write("10-base.yaml", """
                kind: resources
                target: { group: all }
                sysctls:
                  - key: net.ipv4.tcp_syncookies
                    value: 1
                files:
                  - path: /etc/issue.net
                    template: templates/issue.net.sbn
                    mode: 644
                """)
            .Write("templates/issue.net.sbn", "{{ banner_org }} {{ host.name }} ({{ host.address }}) umask={{ umask }}\n")
            .Write("hosts/db1.yml", """
                kind: resources
                target:
                  host: db1
                config_lines:
                  - path: /etc/login.defs
                    key: UMASK
                    value: "027"
                    separator: "="
                """)
            .Write("20-hardened.yaml", """
                kind: resources
                target: { group: hardened }
                files:
                  - path: /etc/shadow
                    owner: root
                    group: 0
                    mode: "0400"
                    attributes: [i, a]
                    when_missing: skip
                  - path: /var/empty
                    type: directory
                    attributes: []
                  - path: /etc/motd
                    content: "hello\n"
                    sensitive: true
                  - path: /etc/old
                    ensure: absent
                """);

        var result = _specs.Load();

        Assert.Empty(result.Diagnostics);
        Assert.False(result.HasErrors);
        var hosts = result.State!.Hosts;
        Assert.Equal(["web1", "db1"], hosts.Select(h => h.Host.Name));

        var web1 = hosts[0].Host;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(("10.0.0.11", 22, "root", home + "/.ssh/id_ed25519", "ssh-ed25519 " + SpecDirectory.Ed25519Key),
            (web1.Address, web1.Port, web1.User, web1.IdentityFile, web1.HostKey));
        Assert.Equal(["hardened", "web"], web1.Groups);
        Assert.Equal(["banner_org", "level", "ports", "role", "tuning", "umask"], web1.Variables.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Example Corp", web1.Variables["banner_org"]);
        Assert.Equal("077", web1.Variables["umask"]);
        Assert.Equal(3L, web1.Variables["level"]);
        Assert.Equal("web", web1.Variables["role"]);
        Assert.Equal(new List<object?> { 80L, 443L }, web1.Variables["ports"]);
        Assert.Equal(
            new Dictionary<string, object?> { ["backlog"] = 4096L, ["ratio"] = 0.5, ["on"] = true, ["none"] = null },
            web1.Variables["tuning"]);

        var db1 = hosts[1].Host;
        Assert.Equal(("db1.example.com", 2222, "deploy", _specs.Root + "/keys/db1", Fingerprint, true),
            (db1.Address, db1.Port, db1.User, db1.IdentityFile, db1.HostKey, db1.NeedsSudo));
        Assert.Empty(db1.Groups);
        Assert.Equal("022", db1.Variables["umask"]);

        var sysctl = new SysctlResource("net.ipv4.tcp_syncookies", "1", At("10-base.yaml", 4, 5));
        Assert.Equal<Resource>(
            [
                sysctl,
                IssueNet("Example Corp web1 (10.0.0.11) umask=077\n"),
                new FileResource("/etc/shadow", FileType.File, Ensure.Present, WhenMissing.Skip, null, "root", "0", "0400", "ai", false, At("20-hardened.yaml", 4, 5))
                {
                    ModeSource = At("20-hardened.yaml", 7, 11),
                },
                new FileResource("/var/empty", FileType.Directory, Ensure.Present, WhenMissing.Create, null, null, null, null, "", false, At("20-hardened.yaml", 10, 5)),
                new FileResource("/etc/motd", FileType.File, Ensure.Present, WhenMissing.Create, "hello\n", null, null, null, null, true, At("20-hardened.yaml", 13, 5)),
                new FileResource("/etc/old", FileType.File, Ensure.Absent, WhenMissing.Fail, null, null, null, null, null, false, At("20-hardened.yaml", 16, 5)),
            ],
            hosts[0].Resources);
        Assert.Equal<Resource>(
            [
                sysctl,
                IssueNet("Example Corp db1 (db1.example.com) umask=022\n"),
                new ConfigLineResource("/etc/login.defs", "UMASK", "027", "=", At("hosts/db1.yml", 5, 5)),
            ],
            hosts[1].Resources);
    }

    [Fact]
    public void Byte_order_mark_comments_and_an_explicit_document_start_are_accepted()
    {
        _specs.WriteBytes("inventory.yaml", [0xEF, 0xBB, 0xBF, .. "# comment\n---\nkind: inventory\n"u8.ToArray()]);

        var result = _specs.Load();

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.State!.Hosts);
    }

    [Fact]
    public void Hidden_folders_and_other_extensions_are_not_read()
    {
        _specs.WithDefaultInventory()
            .Write(".git/config.yaml", "not: [valid")
            .Write("notes.txt", "kind: nonsense");

        Assert.Equal("", _specs.Diagnostics());
    }

    [Fact]
    public void Aliases_expand_to_the_anchored_values()
    {
        _specs
            .Write("inventory.yaml", """
                kind: inventory
                hosts:
                  web1:
                    address: 10.0.0.11
                    identity_file: /k
                    host_key: &key ssh-ed25519 KEY
                    variables: &shared { ports: [80, 443] }
                  web2:
                    address: 10.0.0.12
                    identity_file: /k
                    host_key: *key
                    variables: *shared
                """);

        var result = _specs.Load();

        Assert.Empty(result.Diagnostics);
        var (web1, web2) = (result.State!.Hosts[0].Host, result.State.Hosts[1].Host);
        Assert.Equal(web1.HostKey, web2.HostKey);
        Assert.Equal(new List<object?> { 80L, 443L }, web2.Variables["ports"]);
    }

    private FileResource IssueNet(string content) =>
        new("/etc/issue.net", FileType.File, Ensure.Present, WhenMissing.Create, content, null, null, "644", null, false, At("10-base.yaml", 7, 5))
        {
            ModeSource = At("10-base.yaml", 9, 11),
        };

    private SourceLocation At(string file, int line, int column) => new(_specs.Path(file), line, column);
}
