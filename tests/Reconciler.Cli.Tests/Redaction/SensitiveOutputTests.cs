using Reconciler.Cli;
using Reconciler.Cli.GitHubActions;
using Reconciler.Cli.Redaction;
using Reconciler.Cli.Views;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Secrets;
using Reconciler.Cli.Tests.GitHub;
using Reconciler.Cli.Tests.Views;

namespace Reconciler.Cli.Tests.Redaction;

/// <summary>A sensitive value from the sample plan is looked for in every output path, and the last-line redactor is tested on its own.</summary>
public sealed class SensitiveOutputTests
{
    [Fact]
    public async Task No_output_of_any_kind_contains_the_sensitive_value()
    {
        var plan = SamplePlans.AllActions();
        await using var server = new FakeGitHubServer();
        var github = GitHubTestSupport.Client(server, GitHubTestSupport.Redaction(SamplePlans.Secret));
        await PullRequestComment.UpsertAsync(github, 1, PlanCommentView.Render(plan), default);
        await new DriftIssueSync(github, TimeProvider.System).SyncAsync(plan, "@ops", default);

        var outputs = new Dictionary<string, string>
        {
            ["console plan"] = PlanTextView.Render(plan, Styles.Plain),
            ["markdown plan"] = PlanMarkdownView.Render(plan),
            ["json plan"] = PlanJsonView.Render(plan, SamplePlans.GeneratedAt),
            ["comment"] = PlanCommentView.Render(plan),
            ["step summary"] = PlanCommentView.Render(plan, withMarker: false),
            ["drift markdown"] = DriftMarkdownView.Render(plan, SamplePlans.GeneratedAt),
            ["drift html"] = DriftHtmlView.Render(plan, SamplePlans.GeneratedAt),
            ["drift issue"] = DriftIssueView.Body(plan.Hosts[0], SamplePlans.GeneratedAt, null),
            ["http bodies"] = string.Join("\n", server.Requests.Select(r => r.Body)),
        };

        Assert.Contains(server.Requests, r => r.Method == "POST" && r.Target.EndsWith("/issues", StringComparison.Ordinal));
        Assert.All(outputs, o =>
        {
            Assert.False(o.Value.Contains("SECRET", StringComparison.Ordinal), $"{o.Key} shows the sensitive value");
            Assert.False(o.Value.Contains("BEGIN KEY", StringComparison.Ordinal), $"{o.Key} shows the sensitive key");
        });
    }

    [Fact]
    public void An_apply_error_echoing_the_secret_is_masked_on_the_console()
    {
        var scope = GitHubTestSupport.Redaction($"-----BEGIN KEY-----\n{SamplePlans.Secret}\n-----END KEY-----\n");
        var console = new StringWriter();
        var writer = new RedactingTextWriter(console, scope);
        var web1 = SamplePlans.AllActions().Hosts[0];
        var result = new ApplyResult([new HostApplyResult("web-1", web1,
            [new ResourceOutcome(new ResourceAddress("file", "/etc/app/key.pem"), ChangeAction.Create, false, $"sh: 3: {SamplePlans.Secret}: not found")], null)]);

        writer.Write(ApplyTextView.Render(result, Styles.Plain));
        foreach (var c in $"char by char {SamplePlans.Secret}\n") writer.Write(c);
        writer.Flush();

        Assert.DoesNotContain("SECRET", console.ToString());
        Assert.Contains("sh: 3: (sensitive value): not found", console.ToString());
        Assert.Contains("char by char (sensitive value)", console.ToString());
    }

    [Theory]
    [InlineData("plain", "token: hunter2-long-secret.", "token: (sensitive value).")]
    [InlineData("one line of a multi-line secret", "error near: line-two-of-the-key", "error near: (sensitive value)")]
    [InlineData("base64 as apply scripts carry it", "rc_write /x aHVudGVyMi1sb25nLXNlY3JldApsaW5lLXR3by1vZi10aGUta2V5Cg==", "rc_write /x (sensitive value)")]
    [InlineData("JSON-escaped", "\"hunter2-long-secret\\nline-two-of-the-key\\n\"", "\"(sensitive value)\"")]
    [InlineData("HTML-escaped", "a &lt;b&gt;-tag &amp; more", "(sensitive value)")]
    [InlineData("short strings are left alone", "yes 1 ok", "yes 1 ok")]
    public void Redactor_masks_every_form_a_value_takes_on_the_way_out(string because, string text, string expected)
    {
        var redactor = new SecretRedactor(["hunter2-long-secret\nline-two-of-the-key\n", "a <b>-tag & more", "yes", "1"]);

        Assert.True(expected == redactor.Redact(text), $"{because}: {redactor.Redact(text)}");
    }

    [Fact]
    public void Sensitive_values_of_a_desired_state_are_the_sensitive_files_contents()
    {
        var spec = new HostSpec("web1", "192.0.2.1", 22, "root", "~/.ssh/id", "ssh-ed25519 AAAA", [], new Dictionary<string, object?>());
        var at = new Core.Diagnostics.SourceLocation("a.yaml", 1, 1);
        var state = new DesiredState([new HostDesiredState(spec,
        [
            new Core.Resources.Files.FileResource("/etc/token", Core.Resources.Files.FileType.File, Core.Resources.Files.Ensure.Present, Core.Resources.Files.WhenMissing.Create,
                "rendered-secret", null, null, "0600", null, true, at),
            new Core.Resources.Files.FileResource("/etc/motd", Core.Resources.Files.FileType.File, Core.Resources.Files.Ensure.Present, Core.Resources.Files.WhenMissing.Create,
                "hello world", null, null, "0644", null, false, at),
        ])]);

        Assert.Equal(["rendered-secret"], SecretRedactor.SensitiveValuesOf(state));
    }

    [Fact]
    public async Task Validation_errors_become_github_annotations_inside_actions_only()
    {
        var specs = Directory.CreateTempSubdirectory("reconciler-annotations-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(specs, "inventory.yaml"), "kind: inventory\nhosts:\n  web1:\n    adress: 192.0.2.1\n");
            var inActions = await Run(specs, "true");
            var outside = await Run(specs, null);

            Assert.Matches(@"::error file=[^,]*inventory\.yaml,line=4,col=5::RC\d+: ", inActions);
            Assert.DoesNotContain("::error", outside);
        }
        finally
        {
            Directory.Delete(specs, recursive: true);
        }

        static async Task<string> Run(string specs, string? actions)
        {
            var output = new StringWriter();
            var exit = await App.RunAsync(["validate", "--specs", specs], new Terminal(output, output, false, false), null, default,
                name => name == "GITHUB_ACTIONS" ? actions : null);
            Assert.Equal(1, exit);
            return output.ToString();
        }
    }
}
