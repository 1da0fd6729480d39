using Reconciler.Core.Resources.Files;
using Reconciler.Core.Resources.Permissions;

namespace Reconciler.Specs.Tests;

/// <summary>Glob paths in a spec: files manage mode, owner, group and attributes only; permissions' excludes become patterns.</summary>
public sealed class GlobPathSectionTests : IDisposable
{
    private readonly SpecDirectory _specs = new();

    public void Dispose() => _specs.Dispose();

    [Fact]
    public void A_glob_path_is_read_as_a_glob_and_a_literal_path_is_not()
    {
        _specs.WithDefaultInventory().Write("g.yaml", """
            kind: resources
            target: { group: all }
            files:
              - path: /home/*
                type: directory
                mode: "0700"
              - path: /etc/motd
                mode: "0644"
            permissions:
              - path: /home/*
                remove: go-rwx
                exclude: [/home/*/public_html, /home/guest]
              - path: /srv
                remove: o-w
                exclude: [/srv/keep]
            """);

        var result = _specs.Load();

        Assert.Empty(result.Diagnostics);
        var resources = result.State!.Hosts[0].Resources;
        var files = resources.OfType<FileResource>().ToList();
        Assert.Equal([true, false], files.Select(f => f.Glob));
        var permissions = resources.OfType<PermissionsResource>().ToList();
        Assert.Equal([true, false], permissions.Select(p => p.Glob));
        Assert.Equal([true, false], permissions.Select(p => p.ExcludePatterns));
        Assert.Equal("permissions[/home/* go-rwx]", permissions[0].Address.ToString());
    }

    [Fact]
    public void A_glob_file_with_content_a_template_or_ensure_absent_is_an_error_at_each()
    {
        _specs.WithDefaultInventory().Write("g.yaml", """
            kind: resources
            target: { group: all }
            files:
              - path: /home/*/.profile
                content: "umask 077\n"
              - path: /home/*/.bashrc
                template: bashrc.j2
              - path: /home/*/.rhosts
                ensure: absent
            """);

        var file = _specs.Path("g.yaml");
        var diagnostics = _specs.Diagnostics();
        Assert.Contains($"{file}:5:14: error RC3012: a glob path ('/home/*/.profile') declares mode, owner, group and attributes only, not content or a template", diagnostics);
        Assert.Contains($"{file}:7:15: error RC3012: a glob path ('/home/*/.bashrc') declares mode, owner, group and attributes only, not content or a template", diagnostics);
        Assert.Contains($"{file}:9:13: error RC3012: a glob path ('/home/*/.rhosts') cannot be ensure: absent; removing every match is not a glob's job", diagnostics);
    }

    [Fact]
    public void A_glob_permissions_exclude_must_be_under_the_patterns_literal_part()
    {
        _specs.WithDefaultInventory().Write("g.yaml", """
            kind: resources
            target: { group: all }
            permissions:
              - path: /home/*
                remove: o-w
                exclude: [/srv/x]
            """);

        Assert.Equal($"{_specs.Path("g.yaml")}:6:15: error RC3012: excluded path '/srv/x' is not under '/home'", _specs.Diagnostics());
    }
}
