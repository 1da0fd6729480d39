using Reconciler.Core.Resources.MailGraphs;

namespace Reconciler.Specs.Tests;

/// <summary>
/// mail_graphs: a monitored kind, kept apart from what is planned; its RRD directory is spec input that reaches a root
/// shell and perl, so anything but an absolute, normalized path without control characters is refused at its line.
/// </summary>
public sealed class MailGraphsSectionTests : IDisposable
{
    private readonly SpecDirectory _specs = new();

    public void Dispose() => _specs.Dispose();

    private void Write(string graphs) => _specs.WithDefaultInventory().Write("m.yaml", "kind: resources\ntarget: { group: all }\nmail_graphs:\n" + graphs);

    [Fact]
    public void The_directory_defaults_to_debians_and_the_resource_is_watched_not_planned()
    {
        Write("  - { name: mailgraph }\n");

        var result = _specs.Load();

        Assert.Empty(result.Diagnostics);
        var host = result.State!.Hosts[0];
        Assert.DoesNotContain(host.Resources, r => r is MailGraphResource);
        var graphs = Assert.IsType<MailGraphResource>(Assert.Single(host.Monitors));
        Assert.Equal(("mail_graphs[mailgraph]", "/var/lib/mailgraph"), (graphs.Address.ToString(), graphs.RrdDir));
    }

    [Theory]
    [InlineData("{ name: m, rrd_dir: var/lib/mailgraph }", "m.yaml:4:25: error RC3002: path 'var/lib/mailgraph' is not absolute")]
    [InlineData("{ name: m, rrd_dir: /var/lib/../mailgraph }", "error RC3002: path '/var/lib/../mailgraph' is not normalized (it contains '/../'); write '/var/mailgraph'")]
    [InlineData("{ name: m, rrd_dir: \"/var/lib/mailgraph\\nx\" }", "error RC3002: path '/var/lib/mailgraph\\nx' contains a NUL or newline character")]
    [InlineData("{ name: m, rrd_dir: \"/var/lib/mail\\tgraph\" }", "error RC3002: path '/var/lib/mail\\x09graph' contains a control character")]
    [InlineData("{ name: m, rrd_dir: \"/var/lib/mail\\u001bgraph\" }", "error RC3002: path '/var/lib/mail\\x1bgraph' contains a control character")]
    [InlineData("{ name: m, rrd_dir: / }", "m.yaml:4:25: error RC3012: the root directory is not Mailgraph's RRD directory")]
    public void A_directory_that_is_not_an_absolute_normalized_path_without_control_characters_is_refused_at_its_line(string graph, string error)
    {
        Write("  - " + graph + "\n");

        Assert.Contains(error, _specs.Diagnostics());
    }

    [Fact]
    public void A_host_has_one_mail_graphs_entry()
    {
        Write("  - { name: a }\n  - { name: b, rrd_dir: /srv/mailgraph }\n");

        Assert.Matches(@"m\.yaml:5:5: error RC\d+: mail_graphs\[b\] and mail_graphs\[a\] at \S*m\.yaml:4:5 are two mail_graphs entries of one host; a host has one, .*\(both apply to .*\)", _specs.Diagnostics());
    }
}
