using System.Text;
using System.Text.RegularExpressions;
using Reconciler.Cli.Tests.GitHub;
using Reconciler.Cli.Tests.Views;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests.Attacker;

/// <summary>
/// Issue 15, reports, against real hosts and the stand-in GitHub server (GitHub's API cannot be reached from tests; the
/// stand-in refuses a body over 65,536 characters with 422, as GitHub does): a host drifting in 700 resources still
/// gets an issue, under the limit, naming where the rest is; GitHub refusing one host's issue does not stop the next
/// host's; a host that fails only the verifying read cannot put live escapes or workflow commands into apply's output;
/// a fact record with an index that names no resource is that host's "malformed answer", not an absent resource.
/// </summary>
public sealed class ReportTests
{
    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static async Task ExecOkAsync(DebianHost host, string command)
    {
        var result = await host.ExecAsync(command);
        Assert.True(result.ExitCode == 0, $"{command}: {result.Stderr}");
    }

    /// <summary>A spec for <paramref name="host"/> declaring <paramref name="count"/> files that do not exist yet.</summary>
    private static string MissingFiles(string host, int count, string directory = "/srv/rc-report") =>
        $"kind: resources\ntarget: {{ host: {host} }}\nfiles:\n" + string.Concat(Enumerable.Range(0, count).Select(i =>
            $"  - path: {directory}/setting-{i:D4}-with-a-name-long-enough-to-fill-the-table.conf\n    content: \"value {i}\\n\"\n    mode: \"0644\"\n"));

    [Fact]
    public async Task A_host_drifting_in_700_resources_gets_an_issue_under_GitHubs_limit_with_the_rest_in_the_report()
    {
        // Given a host whose spec declares 700 files it does not have (the issue body uncut would be about 140,000 characters)
        await using var host = await DebianHost.StartAsync();
        await using var github = new FakeGitHubServer();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "web")]);
        specs.Write("web1.yaml", MissingFiles("web1", 700));
        var job = new ActionsJob(specs, github);
        var reports = Path.Combine(specs.Directory, "drift-report");

        // When drift runs with issues
        var drift = await job.Run("drift", "--issues", "--report-dir", reports);

        // Then the issue is opened, under the limit, cut between rows, and it says where all 700 are
        Assert.True(drift.ExitCode == 2, drift.ToString());
        var body = Assert.Single(github.Issues).Body;
        Assert.InRange(body.Length, 30_000, FakeGitHubServer.BodyLimit - 5_000);
        // A difference is a row (a created file has a row per attribute); the report lists every one of them.
        var all = Regex.Matches(await File.ReadAllTextAsync(Path.Combine(reports, "drift.md")), @"^\| `file\[", RegexOptions.Multiline).Count;
        Assert.Equal(700, Regex.Matches(await File.ReadAllTextAsync(Path.Combine(reports, "drift.md")), @"^\| `file\[[^`]*` \| `content`", RegexOptions.Multiline).Count);
        var listed = Regex.Matches(body, @"^\| `file\[", RegexOptions.Multiline).Count;
        Assert.InRange(listed, 100, all - 1);
        Assert.Contains($"{all - listed} more difference(s) are not listed here", body);
        Assert.Contains("drift.md and drift.json", body);
        Assert.Empty(LiveMarkup.InMarkdown(body));
    }

    [Fact]
    public async Task GitHub_refusing_one_hosts_issue_leaves_the_next_host_its_issue_and_the_run_fails_with_one_line_per_host()
    {
        // Given two drifted hosts, and GitHub answering 422 (with hostile text in its message) for the first host's issue
        await using var host1 = await DebianHost.StartAsync();
        await using var host2 = await DebianHost.StartAsync();
        await using var github = new FakeGitHubServer();
        github.Refuse = r => r.Method == "POST" && r.Body.Contains("Drift on web1", StringComparison.Ordinal)
            ? (422, """{"message":"Validation Failed \u001b[2J\r::error::from the API"}""")
            : null;
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host1, DebianHost.RootUser, "web"), ("web2", host2, DebianHost.RootUser, "web")]);
        specs.Write("web1.yaml", MissingFiles("web1", 2));
        specs.Write("web2.yaml", MissingFiles("web2", 2));
        var job = new ActionsJob(specs, github);

        // When drift runs with issues
        var drift = await job.Run("drift", "--issues", "--report-dir", Path.Combine(specs.Directory, "reports"));

        // Then web2 still has its issue, the run exits 1, and the one failure is one inert line
        Assert.True(drift.ExitCode == 1, drift.ToString());
        Assert.Equal("Drift on web2", Assert.Single(github.Issues).Title);
        var failure = Assert.Single(drift.Stderr.Split('\n'), l => l.Contains("drift issue for", StringComparison.Ordinal));
        Assert.Contains("--issues: drift issue for web1 failed: GitHub API POST /repos/acme/infra/issues: 422", failure);
        Assert.Contains("Drift issue for web2: opened", drift.Stdout);
        Assert.Empty(LiveMarkup.InConsole(drift.Stdout));
        Assert.Empty(LiveMarkup.InConsole(drift.Stderr));
    }

    [Fact]
    public async Task A_host_that_fails_only_the_verifying_read_cannot_make_applys_output_act()
    {
        // Given a host whose stat behaves until the managed file is in place, then adds a record with ESC, CR and ::error
        await using var host = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "web")]);
        specs.Write("web1.yaml", "kind: resources\ntarget: { host: web1 }\nfiles:\n  - path: /etc/motd\n    content: \"Managed by reconciler\\n\"\n    mode: \"0644\"\n");
        const string wrapper = "#!/bin/sh\n/usr/bin/stat \"$@\"\n" +
                               "if grep -q '^Managed by reconciler' /etc/motd 2>/dev/null; then printf '\\033[2J\\033]0;owned\\007\\r::error::verify\\t0\\n'; fi\n";
        await ExecOkAsync(host, $"echo {Base64(wrapper)} | base64 -d > /usr/local/bin/stat && chmod 755 /usr/local/bin/stat");

        // When apply runs
        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);

        // Then the change was made, the verifying read is the host's error, and nothing of it acts in the console
        Assert.True(apply.ExitCode == 1, apply.ToString());
        Assert.Contains("Managed by reconciler", (await host.ExecAsync("cat /etc/motd")).Stdout);
        Assert.Contains("malformed answer", apply.Stdout + apply.Stderr);
        Assert.Contains("\\x1b[2J", apply.Stdout + apply.Stderr);
        Assert.Empty(LiveMarkup.InConsole(apply.Stdout));
        Assert.Empty(LiveMarkup.InConsole(apply.Stderr));
    }

    [Fact]
    public async Task A_fact_record_with_an_index_that_names_no_resource_is_the_hosts_malformed_answer()
    {
        // Given a host whose stat adds an answer for resource "x" to every answer (a stat's own lines never become records
        // of resource 0: a read of several paths prints the records itself, checked against the path asked next, and
        // sends on what stat said beyond that): before, the file looked absent and would be created
        await using var host = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "web")]);
        specs.Write("web1.yaml", "kind: resources\ntarget: { host: web1 }\nfiles:\n  - path: /etc/hostname\n    mode: \"0644\"\n");
        const string wrapper = "#!/bin/sh\n/usr/bin/stat \"$@\"\nprintf 'S\\tx\\tregular file\\troot\\t0\\troot\\t0\\t644\\n'\n";
        await ExecOkAsync(host, $"echo {Base64(wrapper)} | base64 -d > /usr/local/bin/stat && chmod 755 /usr/local/bin/stat");

        // When the plan runs
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);

        // Then the host is not planned: its error says the answer is malformed, and no create is offered
        Assert.True(plan.ExitCode == 1, plan.ToString());
        Assert.Contains("malformed answer", plan.Stdout + plan.Stderr);
        Assert.Contains("resource index 'x'", plan.Stdout + plan.Stderr);
        Assert.DoesNotContain("+ file[/etc/hostname]", plan.Stdout);
    }
}
