using System.Net;
using Reconciler.Core.Plans;
using Scriban.Runtime;

namespace Reconciler.Cli.Views;

/// <summary>
/// The plan as a pull-request comment (and step summary): a table per host, a banner when something destructive is
/// planned, each host's full diff folded in a details block. It never measures more than the budget (by
/// <see cref="GitHubBody.Measure"/>, as GitHub may count): whole hosts are left out, last first, and the comment says
/// which and where the full plan is; should the fixed part alone be too long (thousands of hosts), it is cut at a line
/// boundary with a note, never inside a code span or fence.
/// </summary>
internal static class PlanCommentView
{
    /// <summary>Finds this tool's comment among a pull request's comments, so it is edited rather than added again.</summary>
    public const string Marker = "<!-- reconciler-plan -->";

    /// <summary>GitHub rejects a comment body longer than this.</summary>
    public const int GitHubLimit = GitHubBody.GitHubLimit;

    /// <summary>Omitted hosts are named up to this many; the rest are counted.</summary>
    private const int MaxNamesListed = 40;

    public static string Render(Plan plan, int maxLength = GitHubBody.Budget, string? fullPlanAt = null, bool withMarker = true)
    {
        var sections = plan.Hosts.Where(Shown).Select(h => (Host: h.Host, Text: ViewTemplates.Render("plan-comment-host.sbn", HostModel(h)))).ToList();
        var fixedLength = GitHubBody.Measure(RenderComment(plan, [], sections.Select(s => s.Host).ToList(), fullPlanAt, withMarker));

        // Greedy by whole host: the fixed part is measured with every host omitted, its longest form, so what fits here fits below.
        var included = new List<string>();
        var omitted = new List<string>();
        var used = fixedLength;
        foreach (var (host, text) in sections)
        {
            if (used + GitHubBody.Measure(text) <= maxLength)
            {
                included.Add(text);
                used += GitHubBody.Measure(text);
            }
            else
            {
                omitted.Add(host);
            }
        }

        var comment = RenderComment(plan, included, omitted, fullPlanAt, withMarker);
        return GitHubBody.Fit(comment, $"This comment is cut to GitHub's size limit. The full plan is in {fullPlanAt ?? DefaultFullPlanAt}.", maxLength);
    }

    private const string DefaultFullPlanAt = "the workflow run's step summary and its plan artifact";

    private static bool Shown(HostPlan h) => h.Error is not null || h.Changes.Any(c => c.Action != ChangeAction.NoOp);

    private static string RenderComment(Plan plan, IReadOnlyList<string> sections, IReadOnlyList<string> omitted, string? fullPlanAt, bool withMarker)
    {
        var destructive = plan.Hosts
            .Select(h => (h.Host, Items: h.Changes.Select(c => (Change: c, Why: DestructiveChanges.Reason(c, MarkdownText.Code))).Where(c => c.Why is not null).Select(c => $"{MarkdownText.Code(c.Change.Address.ToString())} ({c.Why})").ToList()))
            .Where(d => d.Items.Count > 0)
            .Select(d => new ScriptObject { ["host"] = MarkdownText.Code(d.Host), ["items"] = Limit(d.Items, 10) })
            .ToList();
        var model = new ScriptObject
        {
            ["marker"] = withMarker ? Marker : "",
            ["summary"] = PlanSummary.Line(plan),
            ["hosts"] = plan.Hosts.Select(h => new ScriptObject
            {
                ["name"] = MarkdownText.Cell(h.Host),
                ["create"] = h.Count(ChangeAction.Create),
                ["update"] = h.Count(ChangeAction.Update),
                ["delete"] = h.Count(ChangeAction.Delete),
                ["reload"] = DestructiveChanges.Reloads(h),
                ["blocked"] = h.Count(ChangeAction.Blocked),
                ["status"] = Status(h),
            }).ToList(),
            ["destructive"] = destructive,
            ["sections"] = string.Concat(sections),
            ["omitted"] = omitted.Take(MaxNamesListed).Select(MarkdownText.Code).ToList(),
            ["omitted_count"] = omitted.Count,
            ["omitted_more"] = Math.Max(0, omitted.Count - MaxNamesListed),
            ["full_plan_at"] = fullPlanAt ?? DefaultFullPlanAt,
        };
        return ViewTemplates.Render("plan-comment.sbn", model);
    }

    private static ScriptObject HostModel(HostPlan h)
    {
        var lines = PlanDiffLines.Of(h.Changes.Where(c => c.Action != ChangeAction.NoOp));
        return new ScriptObject
        {
            ["name"] = HtmlText.Encode(h.Host),
            ["error"] = h.Error is null ? null : MarkdownText.Code(h.Error),
            ["unread"] = DriftRows.Unread(h),
            ["headline"] = WebUtility.HtmlEncode($"{h.Count(ChangeAction.Create)} to create, {h.Count(ChangeAction.Update)} to update, {h.Count(ChangeAction.Delete)} to delete"
                + (h.Count(ChangeAction.Blocked) > 0 ? $", {h.Count(ChangeAction.Blocked)} blocked" : "")
                + (h.NotContacted is { } why ? $"; not contacted: {why}" : "")),
            ["lines"] = lines,
            ["fence"] = MarkdownText.Fence(lines),
        };
    }

    private static string Status(HostPlan h) =>
        h.Error is not null ? UnreadStatus(h) : h.NotContacted is not null ? "🔒 not contacted" : h.HasErrors ? "❌ blocked" : h.HasChanges ? "changes" : "in sync";

    /// <summary>A host not read, as the plan tables show it.</summary>
    internal static string UnreadStatus(HostPlan h) => (h.HostKeyMismatch ? "⛔ " : "⚠️ ") + DriftRows.Unread(h);

    private static List<string> Limit(List<string> items, int max) =>
        items.Count <= max ? items : [.. items.Take(max), $"and {items.Count - max} more"];
}
