using System.Text.RegularExpressions;
using Reconciler.Cli.Views;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Tests.Views;

/// <summary>The HTML drift report: one file that works offline, with every value escaped.</summary>
public sealed class DriftHtmlViewTests
{
    [Fact]
    public void Report_is_self_contained_with_no_external_urls()
    {
        var html = DriftHtmlView.Render(SamplePlans.AllActions(), SamplePlans.GeneratedAt);

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotMatch(new Regex(@"https?://|//[a-z]|\bsrc=|\bhref=|<link|<script|@import|url\(", RegexOptions.IgnoreCase), html);
        Assert.Contains("<style>", html);
    }

    [Fact]
    public void Report_escapes_live_values_that_look_like_markup()
    {
        var hostile = "<script>alert(1)</script>";
        var plan = new Plan([new HostPlan("web1",
        [
            new ResourceChange(new ResourceAddress("config_line", "/etc/x:K"), ChangeAction.Update, [AttributeChange.Of(new("K"), hostile, "\"ok\" & fine")], new SourceLocation("a.yaml", 1, 1)),
        ])]);

        var html = DriftHtmlView.Render(plan, SamplePlans.GeneratedAt);

        Assert.DoesNotContain(hostile, html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("&quot;ok&quot; &amp; fine", html);
    }

    [Fact]
    public void Report_shows_each_host_status_and_never_a_sensitive_value()
    {
        var html = DriftHtmlView.Render(SamplePlans.AllActions(), SamplePlans.GeneratedAt);

        Assert.Contains("<td class=\"drifted\">drifted</td>", html);
        Assert.Contains("<td class=\"in-sync\">in sync</td>", html);
        Assert.Contains("<td class=\"unreachable\">unreachable</td>", html);
        Assert.Contains("Connection refused", html);
        Assert.DoesNotContain("SECRET", html);
        Assert.DoesNotContain("BEGIN KEY", html);
        Assert.Contains("(sensitive value differs)", html);
    }

    [Fact]
    public void Report_shows_the_commit_a_host_is_at_when_known()
    {
        var plan = new Plan([new HostPlan("web1", []) { Applied = new AppliedState("0123456789abcdef", "2026-03-14T09:00:00Z", "ci") }]);

        Assert.Contains("<code>0123456789abcdef</code>", DriftHtmlView.Render(plan, SamplePlans.GeneratedAt));
    }

    [Fact]
    public void Report_says_what_drift_md_says_under_the_table_a_host_applied_from_a_specs_directory_an_unattended_apply_and_a_held_lock()
    {
        var plan = new Plan(
        [
            new HostPlan("web1", []) { Applied = new AppliedState("", "2026-03-14T09:00:00Z", "laptop") },
            new HostPlan("web2", []) { LastApply = new LastApply(3, 0, 3, "2026-03-14T09:01:00Z", "ci", Unattended: true) },
            new HostPlan("web3", []) { HeldLock = new HeldLock("ci-runner pid 4242", "2026-03-14T09:02:00Z", 30) },
        ]);

        var html = DriftHtmlView.Render(plan, SamplePlans.GeneratedAt);
        var markdown = DriftMarkdownView.Render(plan, SamplePlans.GeneratedAt);

        Assert.Contains("web1 was last applied from a specs directory, not a commit (applied 2026-03-14T09:00:00Z by laptop)", html);
        Assert.Contains("web1 was last applied from a specs directory, not a commit (applied 2026-03-14T09:00:00Z by laptop)", markdown);
        // Every note of the Markdown report is in the HTML one, escaped for it.
        var notes = markdown.Split('\n').Where(l => l.StartsWith("- `", StringComparison.Ordinal)).Select(l => l[3..^1]).ToList();
        Assert.Equal(3, notes.Count);
        Assert.All(notes, note => Assert.Contains($"<li><code>{System.Net.WebUtility.HtmlEncode(note)}</code></li>", html));
        Assert.Contains("locked by ci-runner pid 4242", html);
    }
}
