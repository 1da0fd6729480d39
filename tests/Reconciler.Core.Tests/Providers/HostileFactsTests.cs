using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Resources.ConfigLines;
using Reconciler.Core.Resources.Dovecot;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Resources.Firewall;
using Reconciler.Core.Resources.MariaDb;
using Reconciler.Core.Resources.Network;
using Reconciler.Core.Resources.Packages;
using Reconciler.Core.Resources.Permissions;
using Reconciler.Core.Resources.Postfix;
using Reconciler.Core.Resources.Sysctl;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Providers;

/// <summary>
/// Every provider's parser fed what a broken or hostile host can print instead of its facts: duplicated lines, every
/// tag with missing, empty, huge, negative or non-numeric fields, bad base64 and hex, escape sequences. A parser either
/// reads it or says it is malformed (<see cref="MalformedFactsException"/>); it never throws anything else.
/// </summary>
public sealed class HostileFactsTests
{
    private static readonly SourceLocation At = new("specs/hostile.yaml", 1, 1);

    public static TheoryData<string> Kinds => new(Providers().Select(p => p.Name));

    private static IEnumerable<(string Name, IResourceProvider Provider, Resource[] Resources)> Providers()
    {
        yield return ("file", new FileProvider(), [Res.File("/etc/motd", "hello\n", mode: "0644", attributes: "i"), Res.File("/etc/d", type: FileType.Directory)]);
        yield return ("sysctl", new SysctlProvider(), [Res.Sysctl("net.ipv4.ip_forward", "0"), Res.Sysctl("net.ipv4.tcp_syncookies", "1")]);
        yield return ("config_line", new ConfigLineProvider(), [Res.Line("/etc/login.defs", "UMASK", "027")]);
        yield return ("permissions", new PermissionsProvider(), [new PermissionsResource("/etc", true, "g-w", [], At)]);
        yield return ("dovecot", new DovecotProvider(),
            [new DovecotFileResource("/etc/dovecot/local.conf", "x = 1\n", "root", "root", "0644", false, At), new DovecotProbeResource("a@example.test", "pw", At)]);
        yield return ("postfix", new PostfixProvider(),
        [
            new PostfixMainResource("message_size_limit", "20480000", At),
            new PostfixMasterResource("submission", "inet", "n", "-", "y", "-", "-", "smtpd", ["-o syslog_name=postfix/submission"], At),
            new PostfixMapResource("mysql_virtual_alias_maps.cf", "mysql", [new("hosts", "127.0.0.1"), new("user", "postfix")], "pw", null, At),
        ]);
        yield return ("mariadb", new MariaDbProvider(),
        [
            new MariaDbDatabaseResource("postfix", "utf8mb4", null, At),
            new MariaDbTableResource("postfix", "mailbox", [new MariaDbColumn("username", "varchar(255) NOT NULL")], ["username"], At),
            new MariaDbUserResource("postfix", "localhost", "pw", [new MariaDbGrant("postfix", null, ["SELECT"])], At),
            new MariaDbRowsResource("postfix", "mailbox", ["username"], false, [new MariaDbRow([new MariaDbCell("username", MariaDbValue.Plain("a"))], At)], At),
        ]);
        yield return ("arp", new ArpProvider(), [new ArpSettingsResource(1, 2, ["lo", "eth0"], At)]);
        yield return ("loopback_vip", new LoopbackVipProvider(), [new LoopbackVipResource("192.0.2.100", "lo:0", ArpDeclared: true, At)]);
        yield return ("ipset", new BlockSetProvider(), [new BlockSetResource("rc-a-v4", IpFamily.Ipv4, ["192.0.2.1"], At)]);
        yield return ("package", new PackagesProvider(),
            [new PackageResource("rc-hello", PackageState.Present, "1.0", true, TimeSpan.FromHours(1), At), new PackageResource("rc-lib", PackageState.Purged, null, null, null, At)]);
        yield return ("iptables", new FirewallChainProvider(), [new FirewallChainResource(IpFamily.Ipv4, ["-A RECONCILER-INPUT -j RETURN"], ["rc-a-v4"], At)]);
        yield return ("health", new Core.Resources.Health.HealthProvider(),
            [new Core.Resources.Health.HealthResource("baseline", [new(Core.Resources.Health.HealthRules.InodesUsedMax, 90, At)], At)]);
    }

    /// <summary>Lines shaped like facts (tag, index, fields) with every field a value no honest read prints.</summary>
    private static List<string> HostileLines()
    {
        string[] tags = ["S", "A", "H", "C", "N", "L", "M", "P", "F", "V", "D", "T", "R", "I", "E", "U", "K", "G", "X", "H", "Z", "NP", "B", "Q", "O", "Y", "W", "4", "6"];
        string[] indexes = ["0", "1", "-1", "7", "99999999999", "x", ""];
        string[] fields = ["", "garbage", "-1", "99999999999999999999", "!!!not-base64!!!", "zz", "\u001b[31mred\u001b[0m", "::error::x", new string('9', 400), "a b c d e f g h i j"];
        var lines = new List<string>();
        foreach (var tag in tags)
        {
            lines.Add(tag);
            foreach (var index in indexes)
            {
                lines.Add($"{tag}\t{index}");
                foreach (var field in fields)
                {
                    lines.Add($"{tag}\t{index}\t{field}");
                    lines.Add($"{tag}\t{index}\t{field}\t{field}\t{field}\t{field}\t{field}\t{field}\t{field}\t{field}");
                }
            }
        }

        lines.AddRange(["", "\t", "\t\t\t", "@@ begin", "\u0000\u0001", "name = ", " = x", "x =", "-A", "garbage without tabs"]);
        return lines;
    }

    private static void ReadsOrRefuses(IResourceProvider provider, IReadOnlyList<Resource> resources, IReadOnlyList<string> lines)
    {
        try
        {
            // Every section the provider reads gets the same hostile lines: each parser must read or refuse them.
            var observed = provider.ParseFacts(resources, new FactAnswers(provider.Queries(resources).ToDictionary(q => q.Unit, _ => lines)));
            Assert.Equal(resources.Count, observed.Count);
            for (var i = 0; i < resources.Count; i++)
            {
                Assert.NotNull(provider.Diff(resources[i], observed[i]));
            }
        }
        catch (MalformedFactsException e)
        {
            Assert.Contains(" facts", e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_hostile_line_alone_is_read_or_refused_never_a_crash(string kind)
    {
        var (_, provider, resources) = Providers().Single(p => p.Name == kind);
        foreach (var line in HostileLines())
        {
            ReadsOrRefuses(provider, resources, [line]);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void All_hostile_lines_at_once_and_every_line_twice_are_read_or_refused(string kind)
    {
        var (_, provider, resources) = Providers().Single(p => p.Name == kind);
        var lines = HostileLines();

        ReadsOrRefuses(provider, resources, lines);
        ReadsOrRefuses(provider, resources, [.. lines, .. lines]);
        ReadsOrRefuses(provider, resources, [.. lines.Where(l => l.Split('\t') is [_, "0", ..])]);
    }

    [Fact]
    public void A_file_stat_answered_twice_is_a_malformed_answer_naming_the_line()
    {
        IResourceProvider provider = new FileProvider();
        var motd = Res.File("/etc/motd", "hello\n");
        string[] lines = ["S\t0\tregular file\troot\t0\troot\t0\t644", "S\t0\tregular file\tdeploy\t1000\tdeploy\t1000\t4777"];

        var e = Assert.Throws<MalformedFactsException>(() => ProviderHarness.Parse(provider, [motd], lines));

        Assert.Equal("file facts: the host answered 'S' twice for resource 0", e.Message);
    }

    [Fact]
    public void Bad_base64_in_a_permissions_sample_is_a_malformed_answer_not_a_format_exception()
    {
        IResourceProvider provider = new PermissionsProvider();

        var e = Assert.Throws<MalformedFactsException>(() =>
            ProviderHarness.Parse(provider, [new PermissionsResource("/etc", true, "g-w", [], At)], ["C\t0\t3", "P\t0\t!!!"]));

        Assert.StartsWith("permissions facts do not parse: ", e.Message);
        Assert.IsType<FormatException>(e.InnerException);
    }
}
