using System.Diagnostics;
using System.Text;
using Reconciler.Cli;
using Reconciler.Cli.Tests.GitHub;
using Reconciler.Cli.Tests.Views;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;
using Reconciler.Ssh;

namespace Reconciler.Integration.Tests.Attacker;

/// <summary>
/// Issue 9, hostile host output: a real host made hostile at test time (a command the fact script uses replaced in
/// /usr/local/bin, or files planted with Markdown, HTML, workflow commands and escape sequences), next to a good host,
/// through the real CLI: plan, drift (reports and issues) and one watch cycle. The hostile host gets an error of its own,
/// the good host is reported, every report is written, and nothing the host wrote is live in any output.
/// </summary>
public sealed class HostileHostOutputTests
{
    /// <summary>What the hostile host plants: a mention, an image, a link, HTML, a code fence, workflow commands, escapes.</summary>
    private const string Payload =
        "hello @octocat ![pixel](http://evil.test/p.png) [click](http://evil.test/) <script>alert(1)</script>\n" +
        "```\n</details>\n::error::pwned by the host\n  ::add-mask::x\n\u001b[2J\u001b]0;owned\u0007 \u202eevil\n";

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static async Task<(DebianHost Good, DebianHost Hostile, SpecsWorkspace Specs)> TwoHostsAsync()
    {
        var good = await DebianHost.StartAsync();
        var hostile = await DebianHost.StartAsync();
        var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", good, DebianHost.RootUser, "web"), ("web2", hostile, DebianHost.RootUser, "web")]);
        // The declared text shares a line with the hostile file, so that line is a diff context line: the runner trims the
        // indentation before it looks for "::", so only escaping keeps it from being a workflow command.
        foreach (var name in new[] { "web1", "web2" })
        {
            specs.Write($"{name}.yaml", $$"""
                kind: resources
                target: { host: {{name}} }
                files:
                  - path: /etc/motd
                    content: "Managed by reconciler\n::error::pwned by the host\n"
                    mode: "0644"
                """);
        }

        return (good, hostile, specs);
    }

    private static async Task ExecOkAsync(DebianHost host, string command)
    {
        var result = await host.ExecAsync(command);
        Assert.True(result.ExitCode == 0, $"{command}: {result.Stderr}");
    }

    private static void NothingLiveInConsole(CliRun run)
    {
        Assert.Empty(LiveMarkup.InConsole(run.Stdout));
        Assert.Empty(LiveMarkup.InConsole(run.Stderr));
    }

    [Fact]
    public async Task Hostile_text_on_a_host_is_shown_inert_in_the_plan_comment_step_summary_reports_issues_console_and_watch()
    {
        // Given a good host, and a hostile one whose motd and state file carry Markdown, HTML, workflow commands and escapes
        var (good, hostile, specs) = await TwoHostsAsync();
        await using var _ = good;
        await using var __ = hostile;
        using var ___ = specs;
        await ExecOkAsync(hostile, $"echo {Base64(Payload)} | base64 -d > /etc/motd");
        var state = $"commit=0123456789abcdef0123456789abcdef01234567\nat={Payload.Split('\n')[0]}\ncontroller=\u001b[31m::error::ctl @octocat\n";
        await ExecOkAsync(hostile, $"mkdir -p /var/lib/reconciler && echo {Base64(state)} | base64 -d > /var/lib/reconciler/state");
        await using var github = new FakeGitHubServer();
        var summary = Path.Combine(specs.Directory, "step-summary.md");
        var reports = Path.Combine(specs.Directory, "reports");
        var env = new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_TOKEN"] = "test-token",
            ["GITHUB_REPOSITORY"] = "acme/infra",
            ["GITHUB_API_URL"] = github.BaseUrl,
            ["GITHUB_STEP_SUMMARY"] = summary,
        };

        // When the pull request is planned (comment, step summary, Markdown file), drift runs with issues, and watch runs once
        var plan = await CliRun.ExecWithEnvironmentAsync(env, "plan", "--specs", specs.Directory, "--comment", "--pr", "7");
        var markdown = await CliRun.ExecWithEnvironmentAsync(env, "plan", "--specs", specs.Directory, "--format", "markdown", "--out", Path.Combine(specs.Directory, "plan.md"));
        var drift = await CliRun.ExecWithEnvironmentAsync(env, "drift", "--specs", specs.Directory, "--report-dir", reports, "--issues");
        var watch = await CliRun.ExecWithEnvironmentAsync(env, "watch", "--specs", specs.Directory, "--once");

        // Then every run read both hosts and showed the hostile text, but nothing in it is live anywhere
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.True(markdown.ExitCode == 2, markdown.ToString());
        Assert.True(drift.ExitCode == 2, drift.ToString());
        Assert.True(watch.ExitCode == 2, watch.ToString());
        foreach (var run in new[] { plan, markdown, drift, watch })
        {
            NothingLiveInConsole(run);
        }

        Assert.Contains("\\x3a:error::pwned by the host", plan.Stdout);
        Assert.Contains("\\x1b[2J", watch.Stdout);
        var comment = Assert.Single(github.CommentsOn(7)).Body;
        var issues = github.Issues.Select(i => i.Body).ToList();
        Assert.Equal(2, issues.Count);
        string[] markdownOutputs = [comment, await File.ReadAllTextAsync(summary), await File.ReadAllTextAsync(Path.Combine(specs.Directory, "plan.md")),
            await File.ReadAllTextAsync(Path.Combine(reports, "drift.md")), .. issues];
        foreach (var output in markdownOutputs)
        {
            Assert.Empty(LiveMarkup.InMarkdown(output));
            Assert.Empty(LiveMarkup.InConsole(output));
        }

        Assert.Contains("@octocat", comment);
        Assert.Contains("@octocat", await File.ReadAllTextAsync(Path.Combine(reports, "drift.md")));
        var html = await File.ReadAllTextAsync(Path.Combine(reports, "drift.html"));
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain('\u001b', html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("web1", await File.ReadAllTextAsync(Path.Combine(reports, "drift.json")));
        // The fleet page (a summary: the motd's diff is drift.html's) keeps its one script, its own, allowed by hash.
        var fleet = await File.ReadAllTextAsync(Path.Combine(reports, "fleet.html"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(fleet, "<script"));
        Assert.DoesNotContain('\u001b', fleet);
        Assert.Contains("id=\"host-web2\"", fleet);
    }

    [Fact]
    public async Task A_host_answering_duplicate_and_garbage_facts_gets_its_own_error_and_the_good_host_and_every_report_are_kept()
    {
        // Given a hostile host whose stat answers twice and adds garbage with escape sequences
        var (good, hostile, specs) = await TwoHostsAsync();
        await using var _ = good;
        await using var __ = hostile;
        using var ___ = specs;
        const string wrapper = "#!/bin/sh\n/usr/bin/stat \"$@\"\n/usr/bin/stat \"$@\"\nprintf 'S\\t0\\t\\033[2J::error::garbage\\tx\\n'\n";
        await ExecOkAsync(hostile, $"echo {Base64(wrapper)} | base64 -d > /usr/local/bin/stat && chmod 755 /usr/local/bin/stat");
        var reports = Path.Combine(specs.Directory, "reports");
        var planFile = Path.Combine(specs.Directory, "plan.json");

        // When drift, plan (JSON file) and one watch cycle run
        var drift = await CliRun.ExecAsync("drift", "--specs", specs.Directory, "--report-dir", reports);
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory, "--format", "json", "--out", planFile);
        var watch = await CliRun.ExecAsync("watch", "--specs", specs.Directory, "--once");

        // Then the hostile host has its own one-line error, the good host is planned, and every report is written
        // The doubled stat also doubles a size read inside the script, which leaves a record without an index: either
        // reason makes the answer malformed (whichever the parser meets first).
        const string error = "web2: error: malformed answer from the host: file facts: ";
        Assert.True(drift.ExitCode == 1, drift.ToString());
        Assert.True(drift.Stdout.Contains("malformed answer from the host: file facts: "), drift.ToString());
        foreach (var report in new[] { "drift.md", "drift.json", "drift.html", "fleet.html" })
        {
            var text = await File.ReadAllTextAsync(Path.Combine(reports, report));
            Assert.Contains("web1", text);
            Assert.Contains("malformed answer from the host", text);
            Assert.Contains("file[/etc/motd]", text);
        }

        // The health history is kept beside the reports (no host has health rules here: it holds no host yet).
        Assert.Equal("{\"format_version\":\"1\",\"hosts\":{}}", await File.ReadAllTextAsync(Path.Combine(reports, "monitoring-history.json")));

        Assert.True(plan.ExitCode == 1, plan.ToString());
        var json = await File.ReadAllTextAsync(planFile);
        Assert.Contains("\"web1\"", json);
        Assert.Contains("malformed answer from the host: file facts: ", json);
        Assert.True(watch.ExitCode == 1, watch.ToString());
        Assert.Contains(error, watch.Stdout);
        Assert.Contains("~ file[/etc/motd]", watch.Stdout);
        foreach (var run in new[] { drift, plan, watch })
        {
            NothingLiveInConsole(run);
        }
    }

    [Fact]
    public async Task A_host_printing_without_end_is_stopped_at_the_output_cap_with_its_own_error_and_controller_memory_stays_bounded()
    {
        // Given a hostile host whose stat prints an endless stream
        var (good, hostile, specs) = await TwoHostsAsync();
        await using var _ = good;
        await using var __ = hostile;
        using var ___ = specs;
        // (it answers the path walk's own questions — one directory's owner and mode — as stat would, and floods the fact
        // read: a flood there is bounded on the host, rc-path.sh captures through head -c)
        await ExecOkAsync(hostile, $"echo {Base64("#!/bin/sh\ncase \"$2\" in '%u:%g:%A:%U:%a %U:%G'|%u|%U) exec /usr/bin/stat \"$@\" ;; esac\nexec yes 'S\t0\tAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'\n")} | base64 -d > /usr/local/bin/stat && chmod 755 /usr/local/bin/stat");
        var reports = Path.Combine(specs.Directory, "reports");

        // When drift runs, with the controller's memory sampled throughout
        using var process = Process.GetCurrentProcess();
        GC.Collect();
        process.Refresh();
        var baseline = process.WorkingSet64;
        long peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(50);
            }
        });
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var stopwatch = Stopwatch.StartNew();
        var exit = await App.RunAsync(["drift", "--specs", specs.Directory, "--report-dir", reports],
            new Terminal(stdout, stderr, Colour: false, Interactive: false), new SshTransport(TimeSpan.FromSeconds(15)), default, _ => null)
            .WaitAsync(TimeSpan.FromMinutes(3));
        await sampling.CancelAsync();
        await sampler;
        var output = $"exit {exit} after {stopwatch.Elapsed}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}";

        // Then the hostile host's output was cut at the cap, it has its own error, and the good host and reports are there
        Assert.True(exit == 1, output);
        // (the run's budget for host output, charged at what the text and its lines cost, runs out before the 64 MiB cap)
        Assert.Contains("web2: the run's budget for host output (64 MiB across all hosts) had no room for more of this command's output", stdout.ToString());
        Assert.Contains("web1: drifted\n", stdout.ToString());
        Assert.True(File.Exists(Path.Combine(reports, "drift.html")), output);
        Assert.True(peak - baseline < 600L * 1024 * 1024, $"the controller grew by {(peak - baseline) / (1024 * 1024)} MiB\n{output}");
    }

    [Fact]
    public async Task A_host_flooding_its_error_output_is_stopped_at_the_error_cap_and_the_good_host_is_planned()
    {
        // Given a hostile host whose stat writes an endless stream to stderr, and a transport with a 4 KiB stderr cap
        var (good, hostile, specs) = await TwoHostsAsync();
        await using var _ = good;
        await using var __ = hostile;
        using var ___ = specs;
        await ExecOkAsync(hostile, $"echo {Base64("#!/bin/sh\nexec yes '\033[2J::error::noise' >&2\n")} | base64 -d > /usr/local/bin/stat && chmod 755 /usr/local/bin/stat");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        // When the plan runs
        var exit = await App.RunAsync(["plan", "--specs", specs.Directory],
            new Terminal(stdout, stderr, Colour: false, Interactive: false),
            new SshTransport(TimeSpan.FromSeconds(15), new OutputLimits(OutputLimits.Default.StdoutBytes, 4096)), default, _ => null)
            .WaitAsync(TimeSpan.FromMinutes(2));

        // Then the hostile host has the cap's error and the good host is planned
        var output = $"exit {exit}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}";
        Assert.True(exit == 1, output);
        Assert.Contains("web2: error: web2: command error output exceeded 4 KiB; the command was stopped", stdout.ToString());
        Assert.Contains("~ file[/etc/motd]", stdout.ToString());
        Assert.Empty(LiveMarkup.InConsole(stdout.ToString()));
    }
}
