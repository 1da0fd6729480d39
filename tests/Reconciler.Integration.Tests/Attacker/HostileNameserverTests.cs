using System.Text.RegularExpressions;
using Reconciler.Dns.Tests.Support;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests.Attacker;

/// <summary>
/// A zone's nameserver is not the controller's to trust: one that answers garbage, or far more than any honest zone
/// (here 40 nameservers with glue), is that domain's problem, named in its plan, while the same host's other work and
/// every other host plan as usual. The nameservers are the attackers of the DNS adapter's own tests, on 127.0.0.1.
/// </summary>
public sealed class HostileNameserverTests
{
    [Fact]
    public async Task A_nameserver_answering_garbage_or_too_much_is_its_domains_problem_and_every_other_host_still_plans()
    {
        var random = new Random(18);
        await using var garbage = HostileNameserver.Answering(_ =>
        {
            var bytes = new byte[300];
            random.NextBytes(bytes);
            return bytes;
        });
        await using var flood = HostileNameserver.Answering(query =>
        {
            var answer = new DnsMessageBuilder(query);
            for (var i = 0; i < 40; i++)
            {
                answer.Ns("huge.test", $"ns{i}.huge.test\u001b[31m").GlueA($"ns{i}.huge.test\u001b[31m", "127.0.0.1");
            }

            return answer.Build();
        });
        await using var mail = await DebianHost.StartAsync(image: "reconciler/host-mail:1");
        await using var other = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("m1", mail, DebianHost.RootUser, "mail"), ("h2", other, DebianHost.RootUser, "web")]);
        string Domain(string name, HostileNameserver server) => $$"""
              - domain: {{name}}
                dns: { zone: {{name}}, rfc2136: { server: 127.0.0.1, port: {{server.EndPoint.Port}}, key_name: k, secret: { secret: dkim_tsig } } }
                selectors: [{ name: default }]
            """;
        specs.Write("hosts/m1.yaml", "kind: resources\ntarget: { host: m1 }\ndkim:\n" + Domain("garbage.test", garbage) + "\n" + Domain("huge.test", flood) +
                                     "\nfiles:\n  - { path: /etc/rc-m1.conf, content: \"m1\\n\" }\n");
        specs.Write("hosts/h2.yaml", "kind: resources\ntarget: { host: h2 }\nfiles:\n  - { path: /etc/rc-h2.conf, content: \"h2\\n\" }\n");
        var environment = new Dictionary<string, string> { ["RECONCILER_SECRET_DKIM_TSIG"] = "aG9zdGlsZS1uYW1lc2VydmVyLXRlc3Qta2V5" };

        var plan = await CliRun.ExecWithEnvironmentAsync(environment, "plan", "--specs", specs.Directory);

        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("+ file[/etc/rc-h2.conf]", plan.Stdout);
        Assert.Contains("+ file[/etc/rc-m1.conf]", plan.Stdout);
        Assert.True(Regex.IsMatch(plan.Stdout, @"dkim\[garbage\.test\][^\n]*the nameservers of garbage\.test could not be asked: "), plan.Stdout);
        Assert.True(Regex.IsMatch(plan.Stdout, @"dkim\[huge\.test\][^\n]*the nameservers of huge\.test could not be asked: "), plan.Stdout);
        Assert.DoesNotContain("\u001b[31m", plan.Stdout + plan.Stderr);
        Assert.True(garbage.UdpQueries.Count > 0 && flood.UdpQueries.Count > 0, "the nameservers were not asked at all");
    }
}
