using System.Text.RegularExpressions;
using Reconciler.Cli.Views;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Tests.Views;

/// <summary>The pull-request comment: banner only when due, whole hosts cut to GitHub's limit, secrets never shown.</summary>
public sealed class PlanCommentViewTests
{
    private static readonly SourceLocation At = new("resources/web.yaml", 3, 5);

    [Fact]
    public void Comment_matches_the_approved_snapshot() =>
        Approvals.Verify(PlanCommentView.Render(SamplePlans.AllActions(), fullPlanAt: "the workflow run"), "plan.comment");

    public static TheoryData<string, string, ChangeAction, string?, bool> BannerCases => new()
    {
        { "file content update", "file", ChangeAction.Update, null, false },
        { "file create", "file", ChangeAction.Create, null, false },
        { "sysctl update", "sysctl", ChangeAction.Update, null, false },
        { "file delete", "file", ChangeAction.Delete, null, true },
        { "block set update", "ipset", ChangeAction.Update, null, true },
        { "iptables chain update", "iptables", ChangeAction.Update, null, true },
        { "ip6tables chain create", "ip6tables", ChangeAction.Create, null, true },
        { "loopback VIP create", "dsr_vip", ChangeAction.Create, null, true },
        { "ARP settings update", "dsr_arp", ChangeAction.Update, null, true },
        { "service restart", "service", ChangeAction.Update, "restart", true },
        { "firewall in sync", "iptables", ChangeAction.NoOp, null, false },
        { "firewall blocked", "ipset", ChangeAction.Blocked, null, false },
        { "delete skipped", "file", ChangeAction.Skip, null, false },
    };

    [Theory]
    [MemberData(nameof(BannerCases))]
    public void Destructive_banner_appears_only_when_due(string because, string kind, ChangeAction action, string? attribute, bool banner)
    {
        var attributes = attribute is null ? new List<AttributeChange> { new("value", "a", "b") } : [new AttributeChange(attribute, null, "yes")];
        var plan = new Plan([new HostPlan("web1", [new ResourceChange(new ResourceAddress(kind, "x"), action, attributes, At)])]);

        var comment = PlanCommentView.Render(plan);

        Assert.True(banner == comment.Contains("[!CAUTION]"), because);
        if (banner) Assert.Contains($"`{kind}[x]`", comment);
    }

    [Fact]
    public void Rows_an_update_deletes_raise_the_banner_and_are_named()
    {
        var attributes = new List<AttributeChange>
        {
            new("row alice@example.test maildir", "old/", "example.test/alice/"),
            new("row mallory@example.test", "present", AttributeChange.DeletedText),
        };
        var plan = new Plan([new HostPlan("mail1", [new ResourceChange(new ResourceAddress("mariadb_rows", "postfix.mailbox"), ChangeAction.Update, attributes, At)])]);

        var comment = PlanCommentView.Render(plan);

        Assert.Contains("[!CAUTION]", comment);
        Assert.Contains("row mallory@example.test", comment);
        Assert.DoesNotContain("deletes 2", comment);
    }

    [Fact]
    public void A_comment_that_would_be_200000_characters_is_cut_at_whole_hosts_with_a_note()
    {
        var plan = LargePlan(hosts: 40, linesPerHost: 100); // about 5,000 characters a host
        var uncut = PlanCommentView.Render(plan, maxLength: int.MaxValue);
        Assert.InRange(uncut.Length, 190_000, 230_000);

        var comment = PlanCommentView.Render(plan);

        Assert.True(comment.Length <= PlanCommentView.GitHubLimit, $"{comment.Length} characters");
        Assert.StartsWith(PlanCommentView.Marker, comment);
        var opened = Regex.Matches(comment, "<details>").Count;
        Assert.Equal(opened, Regex.Matches(comment, "</details>").Count);
        Assert.InRange(opened, 5, 39);
        // Every host shown is shown whole: its last line is there.
        foreach (Match m in Regex.Matches(comment, @"<code>(host-\d+)</code>"))
        {
            Assert.Contains($"{m.Groups[1].Value} line 99 of 99", comment);
        }

        var left = 40 - opened;
        Assert.Contains($"{left} host(s) left out", comment);
        Assert.Contains("`host-39`", comment[comment.IndexOf("left out", StringComparison.Ordinal)..]);
        Assert.Contains("The full plan is in the workflow run's step summary and its plan artifact.", comment);
        // The table still lists every host, the cut ones included.
        Assert.Contains("| `host-39` |", comment);
    }

    [Fact]
    public void A_plan_that_fits_is_not_cut_and_has_no_note()
    {
        var comment = PlanCommentView.Render(LargePlan(hosts: 3, linesPerHost: 10));

        Assert.Equal(3, Regex.Matches(comment, "<details>").Count);
        Assert.DoesNotContain("left out", comment);
    }

    [Fact]
    public void File_content_holding_backticks_cannot_close_the_diff_block()
    {
        var plan = new Plan([new HostPlan("web1", [new ResourceChange(new ResourceAddress("file", "/etc/readme"), ChangeAction.Update,
            [new AttributeChange("content", "a\n", "```\nnot markdown\n")], At)])]);

        Assert.Contains("````diff", PlanCommentView.Render(plan));
    }

    [Fact]
    public void Comment_never_contains_a_sensitive_value()
    {
        var comment = PlanCommentView.Render(SamplePlans.AllActions());

        Assert.DoesNotContain("SECRET", comment);
        Assert.Contains("content: (sensitive value changed)", comment);
    }

    internal static Plan LargePlan(int hosts, int linesPerHost) => new(Enumerable.Range(0, hosts).Select(h => new HostPlan($"host-{h}",
    [
        new ResourceChange(new ResourceAddress("file", "/etc/big"), ChangeAction.Update,
            [new AttributeChange("content", "", string.Concat(Enumerable.Range(0, linesPerHost).Select(i => $"host-{h} line {i} of {linesPerHost - 1} ........................\n")))], At),
    ])).ToList());
}
