using System.Text.Json;
using NJsonSchema;
using Reconciler.Cli.Features;
using Reconciler.Cli.Views;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Tests.Views;

/// <summary>
/// Issue 21: a host that offered another host key than pinned is its own outcome — "host key mismatch", not
/// "unreachable" — in plan, apply and drift, text and JSON alike; every host is still counted once, and the exit code is
/// unreachable's (1).
/// </summary>
public sealed class HostKeyMismatchViewTests
{
    private const string Refusal = "web1 (127.0.0.1:2222): host key mismatch: web1 offered ssh-ed25519 SHA256:AAAA, but the inventory pins ssh-ed25519 SHA256:BBBB; refusing to connect";

    private static readonly Plan Plan = new(
    [
        new HostPlan("web1", [], Refusal) { HostKeyMismatch = true },
        new HostPlan("web2", [], "web2 (127.0.0.1:1): cannot connect: ConnectionRefused"),
        new HostPlan("web3", []),
    ]);

    [Fact]
    public async Task Plan_text_markdown_and_json_name_it_apart_from_unreachable_and_the_json_is_valid()
    {
        Assert.EndsWith("3 host(s), 1 unreachable, 1 host key mismatch.", PlanSummary.Line(Plan));
        Assert.Contains("| ⛔ host key mismatch |", PlanMarkdownView.Render(Plan));
        Assert.Contains("| ⚠️ unreachable |", PlanMarkdownView.Render(Plan));
        Assert.Contains("<code>web1</code> — host key mismatch</summary>", PlanCommentView.Render(Plan));

        var json = PlanJsonView.Render(Plan, DateTimeOffset.UnixEpoch);
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal(["host_key_mismatch", "unreachable", "in_sync"], root.GetProperty("hosts").EnumerateArray().Select(h => h.GetProperty("status").GetString()));
        Assert.Equal(Refusal, root.GetProperty("hosts")[0].GetProperty("error").GetString());
        Assert.Equal(1, root.GetProperty("summary").GetProperty("hosts_unreachable").GetInt32());
        Assert.Equal(1, root.GetProperty("summary").GetProperty("hosts_host_key_mismatch").GetInt32());
        Assert.Empty((await JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "schemas", "plan.schema.json"))).Validate(json));
        Assert.False(JsonDocument.Parse(PlanJsonView.Render(new Plan([Plan.Hosts[2]]), DateTimeOffset.UnixEpoch)).RootElement.GetProperty("summary").TryGetProperty("hosts_host_key_mismatch", out _));
        // A saved plan read back keeps it.
        Assert.Equal([true, false, false], PlanJsonView.Parse(json).Hosts.Select(h => h.HostKeyMismatch));

        Assert.Equal(ExitCodes.Error, ExitCodes.For(new Plan([Plan.Hosts[0], Plan.Hosts[2]])));
    }

    [Fact]
    public void Drift_reports_count_it_apart_and_agree()
    {
        const string counts = "1 in sync, 0 drifted, 0 needs attention, 1 unreachable, 1 host key mismatch";

        Assert.Contains($": {counts}.", DriftMarkdownView.Render(Plan, DateTimeOffset.UnixEpoch));
        Assert.Contains("| `web1` | host key mismatch | 0 |", DriftMarkdownView.Render(Plan, DateTimeOffset.UnixEpoch));
        Assert.Contains($": {counts}.", DriftHtmlView.Render(Plan, DateTimeOffset.UnixEpoch));
        Assert.Contains("<td class=\"host-key-mismatch\">host key mismatch</td>", DriftHtmlView.Render(Plan, DateTimeOffset.UnixEpoch));
        var fleet = FleetHtmlView.Render(Plan, Reconciler.Core.Monitoring.HealthHistory.Empty, DateTimeOffset.UnixEpoch);
        Assert.Contains($"3 host(s) — {counts}; 0 health rule(s) breached", fleet);
        Assert.Contains("<li class=\"host-key-mismatch\"><strong>1</strong>host key mismatch</li>", fleet);
        Assert.Contains($"web1: host key mismatch: {Refusal}", DriftTextView.Render(Plan, Styles.Plain));
        Assert.Equal(ExitCodes.Error, ExitCodes.ForDrift(new Plan([Plan.Hosts[0], Plan.Hosts[2]]), failed: false));
    }

    [Fact]
    public void Apply_counts_it_as_its_own_outcome_and_the_counts_add_up()
    {
        var result = new ApplyResult(Plan.Hosts.Select(h => new HostApplyResult(h.Host, h, [], h.Error is null ? new HostPlan(h.Host, []) : null, h.Error)).ToList());

        Assert.Equal([HostOutcome.HostKeyMismatch, HostOutcome.Unreachable, HostOutcome.Succeeded], result.Hosts.Select(h => h.Outcome));
        Assert.Equal("Apply: 3 host(s): 1 succeeded, 1 unreachable, 1 host key mismatch; 0 change(s) applied, 0 failed.", ApplyTextView.Summary(result));
        Assert.Contains($"web1: host key mismatch: {Refusal}", ApplyTextView.Render(result, Styles.Plain));
    }
}
