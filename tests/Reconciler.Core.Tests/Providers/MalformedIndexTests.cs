using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Resources.ConfigLines;
using Reconciler.Core.Resources.Dovecot;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Resources.Network;
using Reconciler.Core.Resources.Permissions;
using Reconciler.Core.Resources.Postfix;
using Reconciler.Core.Resources.Sysctl;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Providers;

/// <summary>
/// Issue 15: a fact record whose resource index does not name a resource read (not digits, out of range, missing) was
/// dropped, so the resource looked absent and the plan offered to create it. The class: every indexed record either
/// belongs to a resource read or makes the host's answer malformed — for every kind that reads indexed records.
/// </summary>
public sealed class MalformedIndexTests
{
    private static readonly SourceLocation At = new("specs/a.yaml", 1, 1);

    /// <summary>Each kind with one resource and a record shaped as the kind prints it for resource 0, INDEX left to fill.</summary>
    public static TheoryData<string, string> Records => new()
    {
        { "file", "S\t{0}\tregular file\troot\t0\troot\t0\t644" },
        { "sysctl", "L\t{0}\t1" },
        { "sysctl-managed", "M\t{0}" },
        { "config_line", "V\t{0}\t027" },
        { "permissions", "C\t{0}\t3" },
        { "dovecot", "R\t{0}\tabc" },
        { "dovecot-file", "S\t{0}\tregular file\troot\t0\troot\t0\t644" },
        { "postfix", "E\t{0}\t20480000" },
        { "loopback_vip", "F\t{0}\tDebian\taGVsbG8=" },
    };

    /// <summary>The section each kind's record is answered in: its own, or the shared unit it belongs to.</summary>
    private static string Unit(string name, IResourceProvider provider) => name switch
    {
        "sysctl" => SysctlFacts.LiveUnit,
        "dovecot-file" => FileFacts.Unit,
        "file" => FileFacts.Unit,
        _ => provider.Kind,
    };

    private static IReadOnlyList<object> Parse(string kind, IResourceProvider provider, Resource resource, string line) =>
        provider.ParseFacts([resource], ProviderHarness.Answers(provider, [resource], (Unit(kind, provider), [line])));

    private static (IResourceProvider Provider, Resource Resource) Kind(string name) => name switch
    {
        "file" => (new FileProvider(), Res.File("/etc/motd", "hello\n")),
        "sysctl" or "sysctl-managed" => (new SysctlProvider(), Res.Sysctl("net.ipv4.ip_forward", "0")),
        "config_line" => (new ConfigLineProvider(), Res.Line("/etc/login.defs", "UMASK", "027")),
        "permissions" => (new PermissionsProvider(), new PermissionsResource("/etc", true, "g-w", [], At)),
        "dovecot" or "dovecot-file" => (new DovecotProvider(), new DovecotFileResource("/etc/dovecot/local.conf", "x = 1\n", "root", "root", "0644", false, At)),
        "postfix" => (new PostfixProvider(), new PostfixMainResource("message_size_limit", "20480000", At)),
        "loopback_vip" => (new LoopbackVipProvider(), new LoopbackVipResource("192.0.2.100", "lo:0", ArpDeclared: true, At)),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void A_record_for_resource_0_is_read(string kind, string record)
    {
        var (provider, resource) = Kind(kind);

        Assert.Single(Parse(kind, provider, resource, string.Format(record, "0")));
    }

    [Theory]
    [MemberData(nameof(Records))]
    public void A_record_whose_index_names_no_resource_read_makes_the_answer_malformed(string kind, string record)
    {
        var (provider, resource) = Kind(kind);
        foreach (var index in new[] { "x", "1", "-0", "+0", " 0", "0x0", "99999999999", "" })
        {
            var e = Assert.Throws<MalformedFactsException>(() => Parse(kind, provider, resource, string.Format(record, index)));
            Assert.Contains("record", e.Message);
        }
    }

    [Fact]
    public void A_record_without_an_index_is_malformed_unless_its_tag_is_host_wide()
    {
        Assert.Throws<MalformedFactsException>(() => ProviderHarness.Parse(new FileProvider(), [Res.File("/etc/motd", "x\n")], ["S"]));
        Assert.Throws<MalformedFactsException>(() => ProviderHarness.Parse(new FileProvider(), [Res.File("/etc/motd", "x\n")], ["Q\tjunk"]));
        // Dovecot's "installed" line is host-wide by design.
        IResourceProvider dovecot = new DovecotProvider();
        Resource local = new DovecotFileResource("/etc/dovecot/local.conf", "x = 1\n", "root", "root", "0644", false, At);
        Assert.Single(dovecot.ParseFacts([local], ProviderHarness.Answers(dovecot, [local], (dovecot.Kind, ["I"]))));
    }
}
