using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using NJsonSchema;
using Reconciler.Cli.Features;
using Reconciler.Cli.GitHubActions;
using Reconciler.Cli.Tests.GitHub;
using Reconciler.Cli.Views;
using Reconciler.Core.Monitoring;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Tests.Fleet;

/// <summary>
/// The fleet page as text (its behaviour in a browser is in Reconciler.Browser.Tests), and the findings of a monitoring
/// run in every other drift report: the same counts everywhere, the same exit code rule, an issue for a host that
/// needs attention.
/// </summary>
public sealed class FleetReportTests
{
    private static readonly Plan Mixed = SampleFleet.Mixed();

    [Fact]
    public void Fleet_page_loads_nothing_and_allows_only_its_own_script_by_hash()
    {
        var html = FleetHtmlView.Render(Mixed, SampleFleet.History(), SampleFleet.At);

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotMatch(new Regex(@"https?:|//[a-z]|\bsrc=|<link|@import|url\(|\bon[a-z]+=", RegexOptions.IgnoreCase), html);
        var scripts = Regex.Matches(html, "<script>(.*?)</script>", RegexOptions.Singleline);
        var script = Assert.Single(scripts).Groups[1].Value;
        Assert.Single(Regex.Matches(html, "<script", RegexOptions.IgnoreCase));
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)));
        var csp = Regex.Match(html, "<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">").Groups[1].Value;
        Assert.Equal($"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{hash}'; img-src data:; base-uri 'none'; form-action 'none'", csp);
    }

    [Fact]
    public void Fleet_page_shows_markup_from_hosts_and_specs_as_text()
    {
        var html = FleetHtmlView.Render(SampleFleet.Hostile(), HealthHistory.Empty, SampleFleet.At);

        foreach (var raw in new[] { SampleFleet.Script, SampleFleet.Image, "<b onmouseover" })
        {
            Assert.DoesNotContain(raw, html);
        }

        Assert.Contains("&lt;script&gt;window.__pwned=1;alert(1)&lt;/script&gt;", html);
        Assert.Contains("&quot;&gt;&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;", html);
        Assert.DoesNotContain("href=\"javascript", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("mail-1.example.org", "host-mail-1.example.org")]
    [InlineData("web_3", "host-web_3")]
    public void A_plain_host_name_is_its_own_anchor(string host, string anchor) => Assert.Equal(anchor, FleetAnchor.Of(host));

    [Theory]
    [InlineData("evil\"><script>")]
    [InlineData("-starts-with-a-dash")]
    [InlineData("has space")]
    [InlineData("")]
    public void An_odd_host_name_gets_a_hashed_anchor_no_plain_name_can_have(string host)
    {
        var anchor = FleetAnchor.Of(host);

        Assert.Matches("^host--[0-9a-f]{16}$", anchor);
        Assert.NotEqual(anchor, FleetAnchor.Of(host + "x"));
    }

    [Fact]
    public void Every_report_states_the_same_counts()
    {
        var expected = "2 in sync, 1 drifted, 1 needs attention, 1 unreachable; 2 health rule(s) breached, 1 monitoring error(s)";

        Assert.Contains($"Read at 2026-03-14 09:26:53 UTC: {expected}.", DriftMarkdownView.Render(Mixed, SampleFleet.At));
        Assert.Contains($"Read at 2026-03-14 09:26:53 UTC: {expected}.", DriftHtmlView.Render(Mixed, SampleFleet.At));
        var fleet = FleetHtmlView.Render(Mixed, HealthHistory.Empty, SampleFleet.At);
        Assert.Contains($"5 host(s) — {expected}.", fleet);
        Assert.Contains("<li class=\"needs-attention\"><strong>1</strong>needs attention</li>", fleet);
        Assert.Contains("<li><strong>1</strong>stale mail graphs</li>", fleet);
        var summary = JsonDocument.Parse(PlanJsonView.Render(Mixed, SampleFleet.At)).RootElement.GetProperty("summary");
        Assert.Equal(1, summary.GetProperty("hosts_needing_attention").GetInt32());
        Assert.Equal(2, summary.GetProperty("findings_breached").GetInt32());
        Assert.Equal(1, summary.GetProperty("monitoring_errors").GetInt32());
        Assert.Equal(1, summary.GetProperty("hosts_unreachable").GetInt32());
    }

    [Fact]
    public void Markdown_lists_each_breached_rule_with_value_threshold_and_source_and_each_monitoring_error()
    {
        var md = DriftMarkdownView.Render(Mixed, SampleFleet.At);

        Assert.Contains("| `web-3` | needs attention | 0 | 1 |", md);
        Assert.Contains("## `web-3` — needs attention", md);
        Assert.Contains("| `memory_available_min` | `memory` | `3.8 %` | `≥ 10 %` | `specs/mail/40-health.yaml:3:5` |", md);
        Assert.Contains("- `mail_graphs: reading /var/lib/mailgraph failed: rrd export is not XML`", md);
        Assert.Contains("| `inodes_used_max` | `/var/spool` | `93.1 %` | `≤ 90 %` |", md);
        Assert.DoesNotContain("syn_recv_max", md); // judged, not breached: not a finding
    }

    [Fact]
    public async Task Json_carries_every_judged_rule_and_stays_valid_against_the_published_schema()
    {
        var json = PlanJsonView.Render(Mixed, SampleFleet.At);

        var errors = (await JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "schemas", "plan.schema.json"))).Validate(json);
        Assert.Empty(errors);
        var mx2 = JsonDocument.Parse(json).RootElement.GetProperty("hosts")[1];
        var monitoring = mx2.GetProperty("monitoring");
        Assert.True(monitoring.GetProperty("needs_attention").GetBoolean());
        Assert.Equal(["inodes_used_max:True", "syn_recv_max:False"], monitoring.GetProperty("findings").EnumerateArray().Select(f => $"{f.GetProperty("rule").GetString()}:{f.GetProperty("breached").GetBoolean()}"));
        Assert.False(JsonDocument.Parse(PlanJsonView.Render(new Plan([new HostPlan("a", [])]), SampleFleet.At)).RootElement.GetProperty("hosts")[0].TryGetProperty("monitoring", out _));
    }

    [Fact]
    public void Drift_exits_2_for_a_host_that_only_needs_attention_and_1_for_an_unreachable_one()
    {
        var web3 = Mixed.Hosts.Single(h => h.Host == "web-3");
        var inSync = Mixed.Hosts.Single(h => h.Host == "mail-1");

        Assert.Equal(ExitCodes.Changes, ExitCodes.ForDrift(new Plan([inSync, web3]), failed: false));
        Assert.Equal(ExitCodes.Ok, ExitCodes.ForDrift(new Plan([inSync]), failed: false));
        Assert.Equal(ExitCodes.Error, ExitCodes.ForDrift(Mixed, failed: false));
        Assert.Equal(ExitCodes.Error, ExitCodes.ForDrift(new Plan([inSync]), failed: true));
    }

    [Fact]
    public async Task A_host_that_only_needs_attention_gets_an_issue_naming_its_findings_and_its_fleet_anchor()
    {
        await using var server = new FakeGitHubServer();
        var sync = new DriftIssueSync(GitHubTestSupport.Client(server), TimeProvider.System);
        var web3 = Mixed.Hosts.Single(h => h.Host == "web-3");

        var results = await sync.SyncAsync(new Plan([web3]), null, default);

        Assert.Equal(DriftIssueAction.Opened, Assert.Single(results).Action);
        var issue = Assert.Single(server.Issues);
        Assert.Contains("`web-3` needs attention", issue.Body);
        Assert.Contains("| `memory_available_min` | `memory` | `3.8 %` | `≥ 10 %` |", issue.Body);
        Assert.Contains("`mail_graphs: reading /var/lib/mailgraph failed: rrd export is not XML`", issue.Body);
        Assert.Contains("`fleet.html#host-web-3`", issue.Body);
        Assert.DoesNotContain("| Resource |", issue.Body);

        // The rule clears: the host is back in sync and the issue closes.
        var cleared = web3 with { Monitoring = HostMonitoring.Empty };
        Assert.Equal(DriftIssueAction.Closed, Assert.Single(await sync.SyncAsync(new Plan([cleared]), null, default)).Action);
    }

    [Fact]
    public void A_host_without_findings_keeps_the_digest_it_had_before_monitoring()
    {
        var mx2 = Mixed.Hosts.Single(h => h.Host == "mx-2");

        Assert.Equal(DriftIssueView.Digest(mx2 with { Monitoring = null }), DriftIssueView.Digest(mx2 with { Monitoring = HostMonitoring.Empty }));
        Assert.NotEqual(DriftIssueView.Digest(mx2 with { Monitoring = null }), DriftIssueView.Digest(mx2));
        // A value that moves every night is not a change of the issue; a rule newly breached is.
        var moved = mx2 with { Monitoring = mx2.Monitoring! with { Findings = [mx2.Monitoring.Findings[0] with { Value = "94.0 %" }, mx2.Monitoring.Findings[1]] } };
        Assert.Equal(DriftIssueView.Digest(mx2), DriftIssueView.Digest(moved));
    }

    [Fact]
    public void A_row_in_progress_is_drawn_like_any_other_point_and_its_chart_says_it_is_not_complete()
    {
        var start = SampleFleet.At.AddMinutes(-16);
        MailPoint Point(int minutes, double sent) => new(start.AddMinutes(minutes), new MailCounts(sent, 1, 0, 0, null, 0));
        var mail = new MailTraffic(SampleFleet.At, [
            new MailPeriod("day", 480, [Point(0, 4), Point(8, 6), Point(16, 2) with { Partial = true }]),
            new MailPeriod("week", 3360, [Point(0, 10), Point(56, 12)]),
        ]);
        var html = FleetHtmlView.Render(new Plan([new HostPlan("mx1", []) { Monitoring = new HostMonitoring { Mail = mail } }]), HealthHistory.Empty, SampleFleet.At);

        Assert.Equal(["4,6,2", "10,12"], Regex.Matches(html, "data-series=\"sent\" data-values=\"([^\"]*)\"").Select(m => m.Groups[1].Value));
        var descriptions = Regex.Matches(html, "<desc id=\"[^\"]*\">([^<]*)</desc>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, descriptions.Count);
        Assert.Contains($"Its last point, the 8 minutes from {start.AddMinutes(16).UtcDateTime:HH:mm} UTC, is still in progress", descriptions[0]);
        Assert.DoesNotContain("in progress", descriptions[1]);
    }

    [Fact]
    public void A_page_over_a_mebibyte_is_written_whole()
    {
        var hosts = Enumerable.Range(0, 40).SelectMany(i => Mixed.Hosts.Select(h => h with { Host = $"{h.Host}-{i}" })).ToList();
        var plan = new Plan(hosts);

        var fleet = FleetHtmlView.Render(plan, HealthHistory.Empty, SampleFleet.At);
        var drift = DriftHtmlView.Render(plan, SampleFleet.At);

        Assert.True(fleet.Length > 1024 * 1024, $"the page is only {fleet.Length} characters: the test needs a larger fleet");
        Assert.EndsWith("</html>", fleet.TrimEnd());
        Assert.Equal(hosts.Count, Regex.Matches(fleet, "<section class=\"host\"").Count);
        Assert.Single(Regex.Matches(fleet, "<script>"));
        Assert.EndsWith("</html>", drift.TrimEnd());
    }
}
