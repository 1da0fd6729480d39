using System.Text.RegularExpressions;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.ConfigLines;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Resources.Sysctl;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Engine;

/// <summary>
/// One host whose answer is hostile among good hosts: the engine's real batched script runs locally, and the hostile
/// host's answer is then tampered with as a compromised host could. That host gets its own error; the others are planned.
/// </summary>
public sealed partial class HostileHostTests : IDisposable
{
    private readonly TempDir _dir = new();
    private static readonly ProviderRegistry Providers = new([new SysctlProvider(), new FileProvider(), new ConfigLineProvider()]);

    public void Dispose() => _dir.Dispose();

    private static HostSpec Host(string name) =>
        new(name, "10.0.0.1", 22, "root", "~/.ssh/id", "SHA256:x", [], new Dictionary<string, object?>());

    private DesiredState State(params string[] hosts) => new(hosts.Select(name =>
    {
        var root = Directory.CreateDirectory(_dir[name]).FullName;
        File.WriteAllText(Path.Combine(root, "motd"), "old\n");
        File.WriteAllText(Path.Combine(root, "login.defs"), "UMASK 022\n");
        return new HostDesiredState(Host(name), [Res.File(Path.Combine(root, "motd"), "welcome\n"), Res.Line(Path.Combine(root, "login.defs"), "UMASK", "027")]);
    }).ToList());

    /// <summary>Runs the real script for every host, and for <paramref name="hostile"/> rewrites its stdout.</summary>
    private static FakeTransport Tampering(string hostile, Func<string, string> tamper) => new()
    {
        OnScript = (host, script, _) =>
        {
            if (host.Name != hostile) return Task.FromResult<ScriptResult?>(null);
            var honest = LocalShell.Run(script);
            return Task.FromResult<ScriptResult?>(honest with { Stdout = tamper(honest.Stdout) });
        },
    };

    private static async Task<Plan> PlanAsync(FakeTransport transport, DesiredState state) =>
        await new Reconciliation(transport, Providers, new ReconcileOptions()).PlanAsync(state, null, CancellationToken.None);

    private static void OthersPlanned(Plan plan, string hostile)
    {
        Assert.All(plan.Hosts.Where(h => h.Host != hostile), h =>
        {
            Assert.Null(h.Error);
            Assert.Equal([ChangeAction.Update, ChangeAction.Update], h.Changes.Select(c => c.Action));
        });
    }

    [Fact]
    public async Task Duplicate_stat_lines_make_that_host_an_error_and_the_other_hosts_are_planned()
    {
        var transport = Tampering("b", stdout => StatLine().Replace(stdout, m => m.Value + m.Value));

        var plan = await PlanAsync(transport, State("a", "b", "c"));

        var b = plan.Hosts.Single(h => h.Host == "b");
        Assert.Equal("malformed answer from the host: file facts: the host answered 'S' twice for resource 0", b.Error);
        Assert.Empty(b.Changes);
        OthersPlanned(plan, "b");
    }

    [Fact]
    public async Task Garbage_in_every_fact_field_makes_that_host_an_error_or_is_ignored_never_ends_the_run()
    {
        // Every fact line of the host keeps its tag and index but its fields become garbage (and the base64 is not base64).
        var transport = Tampering("b", stdout => FactFields().Replace(stdout, m => m.Groups["head"].Value + "\t\u001b[2J!!!\t-1\t99999999999999999999"));

        var plan = await PlanAsync(transport, State("a", "b", "c"));

        Assert.Equal(["a", "b", "c"], plan.Hosts.Select(h => h.Host));
        OthersPlanned(plan, "b");
    }

    [Fact]
    public async Task A_section_answered_twice_is_that_hosts_error()
    {
        // The host runs the script, so it knows the nonce and can print a second copy of a whole section.
        var transport = Tampering("b", stdout => stdout + stdout);

        var plan = await PlanAsync(transport, State("a", "b"));

        Assert.StartsWith("malformed answer from the host: the part '", plan.Hosts.Single(h => h.Host == "b").Error);
        OthersPlanned(plan, "b");
    }

    [Fact]
    public async Task A_state_file_whose_commit_is_not_a_commit_id_is_that_hosts_error()
    {
        var transport = new FakeTransport();
        var state = State("a", "b");
        var stateFile = Path.Combine(transport.StateRootOf("b"), "state");
        Directory.CreateDirectory(Path.GetDirectoryName(stateFile)!);
        await File.WriteAllTextAsync(stateFile, "commit=` @admin ![x](http://evil.test/x.png) <script>\nat=now\ncontroller=x\n");

        var plan = await PlanAsync(transport, state);

        Assert.Equal("malformed answer from the host: the state file's commit is not a commit id", plan.Hosts.Single(h => h.Host == "b").Error);
        OthersPlanned(plan, "b");
    }

    [Fact]
    public async Task A_section_ending_without_a_status_is_read_as_a_failed_section_not_a_crash()
    {
        var transport = Tampering("b", stdout => EndMarker().Replace(stdout, m => m.Groups["name"].Value));

        var plan = await PlanAsync(transport, State("a", "b"));

        Assert.StartsWith("reading ", plan.Hosts.Single(h => h.Host == "b").Error);
        OthersPlanned(plan, "b");
    }

    [Fact]
    public async Task A_flood_of_error_output_is_quoted_in_the_hosts_error_only_up_to_a_short_line()
    {
        var transport = new FakeTransport
        {
            OnScript = (host, _, _) => Task.FromResult(host.Name == "b" ? new ScriptResult(1, "", new string('x', 500_000) + "\nsecond") : null),
        };

        var plan = await PlanAsync(transport, State("a", "b"));

        var error = plan.Hosts.Single(h => h.Host == "b").Error!;
        Assert.StartsWith("reading ", error);
        Assert.EndsWith("x…", error);
        Assert.True(error.Length < 400, $"{error.Length} characters");
        OthersPlanned(plan, "b");
    }

    [GeneratedRegex(@"^S\t0\t.*\n", RegexOptions.Multiline)]
    private static partial Regex StatLine();

    [GeneratedRegex(@"^(?<head>[A-Z]\t\d+)\t.*$", RegexOptions.Multiline)]
    private static partial Regex FactFields();

    [GeneratedRegex(@"(?<name>@@\w+ end \S+) \S+$", RegexOptions.Multiline)]
    private static partial Regex EndMarker();

    [Fact]
    public async Task What_a_plan_keeps_of_all_hosts_answers_is_one_budget_per_run_not_per_host()
    {
        // Given two hosts whose honest answers are measured on a run with the default budget
        var lengths = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var transport = new FakeTransport
        {
            OnScript = (host, script, _) =>
            {
                var answer = LocalShell.Run(script);
                lengths[host.Name] = answer.Stdout.Length;
                return Task.FromResult<ScriptResult?>(answer);
            },
        };
        var state = State("a", "b");
        var roomy = await new Reconciliation(transport, Providers, new ReconcileOptions()).PlanAsync(state, null, CancellationToken.None);
        Assert.All(roomy.Hosts, h => Assert.Null(h.Error));

        // When a run may keep one and a half answers
        var options = new ReconcileOptions(RetainedFactsChars: lengths.Values.Max() * 3 / 2);
        var tight = await new Reconciliation(transport, Providers, options).PlanAsync(state, null, CancellationToken.None);
        var again = await new Reconciliation(transport, Providers, options).PlanAsync(state, null, CancellationToken.None);

        // Then one host is planned and the other gets the run's refusal, each answer fitting alone; and the next run
        // (a watch cycle) starts with the whole budget again
        Assert.Single(tight.Hosts, h => h.Error is null);
        Assert.Single(tight.Hosts, h => h.Error?.Contains("this run's budget for facts kept until the plan is written", StringComparison.Ordinal) == true);
        Assert.Single(again.Hosts, h => h.Error is null);
    }
}
