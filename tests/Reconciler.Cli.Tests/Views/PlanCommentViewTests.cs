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

    public static TheoryData<string, string, ChangeAction, ChangeEffects, bool> BannerCases => new()
    {
        { "file content update", "file", ChangeAction.Update, ChangeEffects.None, false },
        { "file create", "file", ChangeAction.Create, ChangeEffects.None, false },
        { "sysctl update", "sysctl", ChangeAction.Update, ChangeEffects.None, false },
        { "file delete", "file", ChangeAction.Delete, ChangeEffects.None, true },
        { "block set update", "ipset", ChangeAction.Update, ChangeEffects.TouchesFirewall, true },
        { "iptables chain update", "iptables", ChangeAction.Update, ChangeEffects.TouchesFirewall, true },
        { "ip6tables chain create", "ip6tables", ChangeAction.Create, ChangeEffects.TouchesFirewall, true },
        { "loopback VIP create", "dsr_vip", ChangeAction.Create, ChangeEffects.TouchesNetworkInterfaces, true },
        { "ARP settings update", "dsr_arp", ChangeAction.Update, ChangeEffects.TouchesNetworkInterfaces, true },
        { "service restart", "dovecot_file", ChangeAction.Update, ChangeEffects.RestartsService, true },
        { "service reload", "postfix_main", ChangeAction.Update, ChangeEffects.ReloadsService, false },
        { "the view reads effects, not kind names", "iptables", ChangeAction.Update, ChangeEffects.None, false },
        { "firewall in sync", "iptables", ChangeAction.NoOp, ChangeEffects.TouchesFirewall, false },
        { "firewall blocked", "ipset", ChangeAction.Blocked, ChangeEffects.TouchesFirewall, false },
        { "delete skipped", "file", ChangeAction.Skip, ChangeEffects.None, false },
    };

    [Theory]
    [MemberData(nameof(BannerCases))]
    public void Destructive_banner_appears_only_when_due(string because, string kind, ChangeAction action, ChangeEffects effects, bool banner)
    {
        var change = new ResourceChange(new ResourceAddress(kind, "x"), action, [AttributeChange.Of(new("value"), "a", "b")], At) { Effects = effects };
        var plan = new Plan([new HostPlan("web1", [change])]);

        var comment = PlanCommentView.Render(plan);

        Assert.True(banner == comment.Contains("[!CAUTION]"), because);
        if (banner) Assert.Contains($"`{kind}[x]`", comment);
    }

    [Fact]
    public void Rows_an_update_deletes_raise_the_banner_and_are_named()
    {
        var attributes = new List<AttributeChange>
        {
            AttributeChange.Of(new("row alice@example.test maildir"), "old/", "example.test/alice/"),
            new(new("row mallory@example.test"), new PlanValue.Text("present"), new PlanValue.Deleted()),
        };
        var rows = new ResourceChange(new ResourceAddress("mariadb_rows", "postfix.mailbox"), ChangeAction.Update, attributes, At) { Effects = ChangeEffects.DeletesData };
        var plan = new Plan([new HostPlan("mail1", [rows])]);

        var comment = PlanCommentView.Render(plan);

        Assert.Contains("[!CAUTION]", comment);
        Assert.Contains("row mallory@example.test", comment);
        Assert.DoesNotContain("deletes 2", comment);
    }

    [Fact]
    public void A_package_install_after_which_apt_removes_a_package_the_spec_does_not_name_raises_the_banner()
    {
        // An install is no delete, but apt's simulation says it removes rc-old to make room: that is what the banner names.
        var host = new Core.Resources.Packages.AptHostFacts(
            new Dictionary<string, Core.Resources.Packages.DpkgEntry>(), new Dictionary<string, IReadOnlyList<string>> { ["rc-new"] = ["1.0"] },
            [new("Inst", "rc-new", null, "1.0"), new("Remv", "rc-old", "2.0", null)], null, null);
        var install = Core.Resources.Packages.PackageDiff.Of(
            new Core.Resources.Packages.PackageResource("rc-new", Core.Resources.Packages.PackageState.Present, null, null, null, At),
            new Core.Resources.Packages.PackageObserved(null, ["1.0"], host, ShowsApt: true, ShowsRefresh: false));

        var comment = PlanCommentView.Render(new Plan([new HostPlan("web1", [install])]));

        Assert.Equal(ChangeAction.Create, install.Action);
        Assert.Equal("deletes 1 part(s): `apt removes rc-old`", DestructiveChanges.Reason(install, MarkdownText.Code));
        Assert.Contains("[!CAUTION]", comment);
        Assert.Contains("apt removes rc-old", comment);
    }

    [Fact]
    public void Only_a_deleted_value_is_a_deleted_part_not_text_that_reads_deleted()
    {
        var attributes = new List<AttributeChange>
        {
            AttributeChange.Of(new("row alice@example.test note"), "kept", "deleted"),
            new(new("row #0123456789ab"), new PlanValue.Text("present"), new PlanValue.Deleted()),
        };
        var rows = new ResourceChange(new ResourceAddress("mariadb_rows", "app.t"), ChangeAction.Update, attributes, At) { Effects = ChangeEffects.DeletesData };

        Assert.Equal("deletes 1 part(s): row #0123456789ab", DestructiveChanges.Reason(rows, name => name));
    }

    [Fact]
    public void A_comment_that_would_be_200000_characters_is_cut_at_whole_hosts_with_a_note()
    {
        var plan = LargePlan(hosts: 40, linesPerHost: 100); // about 5,000 characters a host
        var uncut = PlanCommentView.Render(plan, maxLength: int.MaxValue);
        Assert.InRange(uncut.Length, 190_000, 230_000);

        var comment = PlanCommentView.Render(plan);

        Assert.True(GitHubBody.Measure(comment) <= GitHubBody.Budget, $"{comment.Length} characters");
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
            [AttributeChange.Of(new("content"), "a\n", "```\nnot markdown\n")], At)])]);

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
            [AttributeChange.Of(new("content"), "", string.Concat(Enumerable.Range(0, linesPerHost).Select(i => $"host-{h} line {i} of {linesPerHost - 1} ........................\n")))], At),
    ])).ToList());
}
