using System.Diagnostics;
using Reconciler.Core.Resources.Files;

namespace Reconciler.Specs.Tests;

/// <summary>
/// Every file a spec makes the controller read stays inside the specs directory: a pull request controls these paths,
/// and the controller holds the SSH key and the secrets. A refused file is never read, so its content is in no message.
/// </summary>
public sealed class ConfinementTests : IDisposable
{
    private const string Canary = "CANARY-7d1f0c-outside-the-specs";

    private readonly SpecDirectory _specs = new();
    private readonly string _outside = Path.Combine(Path.GetTempPath(), "reconciler-outside-" + Guid.NewGuid().ToString("N"));

    public ConfinementTests()
    {
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_outside, "secret.txt"), Canary + "\n");
        File.WriteAllText(Path.Combine(_outside, "spec.yaml"), "kind: resources\n" + Canary + ": [\n");
        _specs.WithDefaultInventory();
    }

    public void Dispose()
    {
        _specs.Dispose();
        Directory.Delete(_outside, recursive: true);
    }

    private SpecDirectory WithTemplate(string template) => _specs.Write("r.yaml", $$"""
        kind: resources
        target: { group: all }
        files:
          - path: /etc/issue.net
            template: "{{template}}"
        """);

    private SpecDirectory WithListFile(string file) => _specs.Write("fw.yaml", $$"""
        kind: resources
        target: { group: all }
        firewall:
          block_sets:
            - name: blocklist
              entries_file: "{{file}}"
        """);

    private string Diagnostics()
    {
        var text = _specs.Diagnostics();
        Assert.DoesNotContain(Canary, text);
        return text;
    }

    [Theory]
    [InlineData("/etc/passwd", "absolute paths are not allowed")]
    [InlineData("~/.ssh/id_ed25519", "absolute paths are not allowed")]
    [InlineData("../../../../../../etc/passwd", "it leads outside the specs directory ('..')")]
    [InlineData("templates/../../x.sbn", "it leads outside the specs directory ('..')")]
    [InlineData("/proc/self/environ", "absolute paths are not allowed")]
    [InlineData("/dev/zero", "absolute paths are not allowed")]
    public void A_template_outside_the_specs_directory_is_refused_at_its_line(string path, string rule)
    {
        WithTemplate(path);

        Assert.Equal(
            $"{_specs.Path("r.yaml")}:5:15: error RC3015: template '{path}' is refused: {(rule.StartsWith("absolute") ? "files named in specs are relative to the YAML file and stay inside the specs directory; " : "")}{rule}",
            Diagnostics());
    }

    [Fact]
    public void A_list_file_naming_the_process_environment_is_refused_without_reading_it()
    {
        Environment.SetEnvironmentVariable("RECONCILER_SECRET_CONFINEMENT_CANARY", Canary);
        try
        {
            WithListFile("/proc/self/environ");

            Assert.Equal(
                $"{_specs.Path("fw.yaml")}:6:21: error RC3015: list file '/proc/self/environ' is refused: files named in specs are relative to the YAML file and stay inside the specs directory; absolute paths are not allowed",
                Diagnostics());
        }
        finally
        {
            Environment.SetEnvironmentVariable("RECONCILER_SECRET_CONFINEMENT_CANARY", null);
        }
    }

    [Fact]
    public void Symbolic_links_leading_out_are_refused_wherever_they_are_on_the_path()
    {
        File.CreateSymbolicLink(Path.Combine(_specs.Root, "link.sbn"), Path.Combine(_outside, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(_specs.Root, "dir"), _outside);
        File.CreateSymbolicLink(Path.Combine(_specs.Root, "relative.sbn"), "../" + Path.GetFileName(_outside) + "/secret.txt");
        File.CreateSymbolicLink(Path.Combine(_specs.Root, "zero.txt"), "/dev/zero");
        _specs.Write("r.yaml", """
            kind: resources
            target: { group: all }
            files:
              - { path: /etc/a, template: link.sbn }
              - { path: /etc/b, template: dir/secret.txt }
              - { path: /etc/c, template: relative.sbn }
            firewall:
              block_sets:
                - { name: zero, entries_file: zero.txt }
            """);

        var file = _specs.Path("r.yaml");
        Assert.Equal(
            $"""
            {file}:4:31: error RC3015: template 'link.sbn' is refused: it is a symbolic link that resolves outside the specs directory
            {file}:5:31: error RC3015: template 'dir/secret.txt' is refused: it is a symbolic link that resolves outside the specs directory
            {file}:6:31: error RC3015: template 'relative.sbn' is refused: it leads outside the specs directory ('..')
            {file}:9:35: error RC3015: list file 'zero.txt' is refused: it is a symbolic link that resolves outside the specs directory
            """,
            Diagnostics());
    }

    [Fact]
    public void A_symbolic_link_that_stays_inside_is_followed()
    {
        _specs.Write("templates/real.sbn", "hello {{ host.name }}\n");
        Directory.CreateDirectory(Path.Combine(_specs.Root, "all"));
        File.CreateSymbolicLink(Path.Combine(_specs.Root, "all", "banner.sbn"), "../templates/real.sbn");
        _specs.Write("all/r.yaml", """
            kind: resources
            target: { host: web1 }
            files:
              - { path: /etc/issue.net, template: banner.sbn }
            """);

        var result = _specs.Load();

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var file = Assert.Single(result.State!.Hosts.Single(h => h.Host.Name == "web1").Resources.OfType<FileResource>());
        Assert.Equal("hello web1\n", file.Content);
    }

    [Fact]
    public void A_fifo_or_a_directory_is_not_read()
    {
        using (var mkfifo = Process.Start("mkfifo", Path.Combine(_specs.Root, "pipe.sbn")))
        {
            mkfifo.WaitForExit();
        }

        Directory.CreateDirectory(Path.Combine(_specs.Root, "folder.sbn"));
        _specs.Write("r.yaml", """
            kind: resources
            target: { group: all }
            files:
              - { path: /etc/a, template: pipe.sbn }
              - { path: /etc/b, template: folder.sbn }
            """);

        var file = _specs.Path("r.yaml");
        Assert.Equal(
            $"""
            {file}:4:31: error RC3015: template 'pipe.sbn' is refused: it is not a regular file (a device, FIFO or socket)
            {file}:5:31: error RC3015: template 'folder.sbn' is refused: it is a directory, not a file
            """,
            Diagnostics());
    }

    [Fact]
    public void A_spec_file_that_links_out_is_refused_unread_and_linked_directories_are_not_entered()
    {
        File.CreateSymbolicLink(Path.Combine(_specs.Root, "stolen.yaml"), Path.Combine(_outside, "spec.yaml"));
        Directory.CreateSymbolicLink(Path.Combine(_specs.Root, "more"), _outside);

        Assert.Equal(
            $"{_specs.Path("stolen.yaml")}:1:1: error RC3015: spec file refused: it is a symbolic link that resolves outside the specs directory",
            Diagnostics());
    }

    [Fact]
    public void A_name_with_a_newline_or_nul_is_refused_and_shown_escaped()
    {
        WithTemplate("a\\nb.sbn");

        Assert.Equal(
            $"{_specs.Path("r.yaml")}:5:15: error RC3015: template 'a\\nb.sbn' is refused: a file name must not be empty or contain control characters (NUL, newline, ...)",
            Diagnostics());
    }
}
