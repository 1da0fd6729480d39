using Reconciler.Core.Resources.Permissions;

namespace Reconciler.Specs.Tests;

public sealed class PermissionsSectionTests : IDisposable
{
    private readonly SpecDirectory _specs = new();

    public void Dispose() => _specs.Dispose();

    [Fact]
    public void Permissions_are_read_with_defaults_and_a_normalized_expression()
    {
        _specs.WithDefaultInventory().Write("p.yaml", """
            kind: resources
            target: { group: all }
            permissions:
              - path: /etc
                remove: g-w
              - path: /srv
                recursive: false
                remove: og-wr
                exclude: [/srv/keep]
            """);

        var result = _specs.Load();

        Assert.Empty(result.Diagnostics);
        var resources = result.State!.Hosts[0].Resources.Cast<PermissionsResource>().ToList();
        Assert.Equal(["permissions[/etc g-w]", "permissions[/srv go-rw]"], resources.Select(r => r.Address.ToString()));
        Assert.True(resources[0].Recursive);
        Assert.Empty(resources[0].Exclude);
        Assert.False(resources[1].Recursive);
        Assert.Equal(["/srv/keep"], resources[1].Exclude);
    }

    [Fact]
    public void Permissions_remove_that_adds_bits_is_a_schema_error_at_the_value()
    {
        _specs.WithDefaultInventory().Write("p.yaml", """
            kind: resources
            target: { group: all }
            permissions:
              - path: /etc
                remove: g+w
            """);

        Assert.Equal(
            $"{_specs.Path("p.yaml")}:5:13: error RC2001: permissions[0].remove: 'g+w' does not match the pattern ^[ugoa]+-[rwxst]+(,[ugoa]+-[rwxst]+)*$",
            _specs.Diagnostics());
    }

    [Fact]
    public void Permissions_paths_excludes_and_empty_clauses_are_checked()
    {
        _specs.WithDefaultInventory().Write("p.yaml", """
            kind: resources
            target: { group: all }
            permissions:
              - path: /etc/
                remove: u-t
                exclude: [/var/x, /etc//y]
            """);

        var file = _specs.Path("p.yaml");
        Assert.Equal(
            $"""
            {file}:4:11: error RC3002: path '/etc/' is not normalized (it contains a trailing slash); write '/etc'
            {file}:5:13: error RC3012: permissions remove clause 'u-t' clears no bit: 's' applies to u or g, 't' to o or a
            {file}:6:15: error RC3012: excluded path '/var/x' is not under '/etc/'
            {file}:6:23: error RC3002: path '/etc//y' is not normalized (it contains '//'); write '/etc/y'
            """,
            _specs.Diagnostics());
    }

    [Fact]
    public void File_mode_with_a_bit_that_permissions_clear_is_a_conflict_at_the_mode()
    {
        _specs.WithDefaultInventory()
            .Write("a.yaml", """
                kind: resources
                target: { group: all }
                permissions:
                  - path: /etc
                    remove: g-w
                    exclude: [/etc/excluded]
                """)
            .Write("b.yaml", """
                kind: resources
                target: { host: web1 }
                files:
                  - path: /etc/app.conf
                    mode: "0664"
                  - path: /etc/fine.conf
                    mode: "0644"
                  - path: /etc/excluded/app.conf
                    mode: "0664"
                  - path: /srv/app.conf
                    mode: "0664"
                """);

        Assert.Equal(
            $"{_specs.Path("b.yaml")}:5:11: error RC3014: mode 0664 conflicts with permissions g-w on /etc declared at {_specs.Path("a.yaml")}:4:5 (both apply to host 'web1')",
            _specs.Diagnostics());
    }
}
