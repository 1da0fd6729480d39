using Reconciler.Core.Model;
using System.Text.RegularExpressions;
using Reconciler.Core.Plans;
using Scriban.Runtime;

namespace Reconciler.Cli.Views;

/// <summary>
/// One GitHub issue per drifted host, or one that needs attention (a breached health rule, an unreadable monitored kind). Hidden markers carry the host (to find its issue again) and a digest of the
/// drift (to tell "the same drift again" from "the drift changed" without comparing prose).
/// </summary>
internal static partial class DriftIssueView
{
    public const string Label = "reconciler-drift";

    public static string Title(string host) => $"Drift on {host}";

    public static string HostMarker(string host) => $"<!-- reconciler-drift host={host} -->";

    /// <summary>
    /// A digest of what differs, over the masked rows, so even a hash never depends on a sensitive value; then which
    /// rules are breached on what (not their values, which move every night) and which monitored kinds failed. A host
    /// without findings digests exactly as before findings existed, so its open issue is not reported as changed.
    /// </summary>
    public static string Digest(HostPlan host)
    {
        var text = string.Join("\n", DriftRows.Of(host).Select(r => $"{r.Address}\t{r.Attribute}\t{r.Declared}\t{r.Live}\t{string.Join("\n", r.Detail)}"));
        var findings = HostFindings.Breached(host).Select(f => $"finding\t{f.Rule}\t{f.Subject}").Concat(HostFindings.Errors(host).Select(e => $"error\t{e}")).ToList();
        if (findings.Count > 0) text += "\n" + string.Join("\n", findings);
        return Sha256Text.Hex(text)[..16];
    }

    /// <summary>The issue is kept for a host that differs or needs attention (breached rules, unreadable monitored kinds).</summary>
    public static bool Wanted(HostPlan host) => DriftRows.Status(host) is DriftRows.Drifted or DriftRows.NeedsAttention;

    public static string? HostOf(string body) => HostPattern().Match(body) is { Success: true } m ? m.Groups[1].Value : null;

    public static string? DigestOf(string body) => DigestPattern().Match(body) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>Where the whole drift report is when a body is cut, if the caller does not say (a run outside a workflow).</summary>
    public const string DefaultReportAt = "the drift report (drift.md, drift.json, drift.html and fleet.html in the report directory)";

    /// <param name="since">When the host was read; <paramref name="resolvedAt"/> is set when the issue is closed.</param>
    /// <param name="reportAt">Where every difference is (the run's report artifact), named when rows are left out.</param>
    /// <remarks>
    /// The body stays within <see cref="GitHubBody.Budget"/>: rows are listed in order while they fit, and the rest are
    /// counted with a note naming <paramref name="reportAt"/>. A row is one table line, so the cut is between rows.
    /// </remarks>
    public static string Body(HostPlan host, DateTimeOffset since, string? mention, DateTimeOffset? resolvedAt = null, string? reportAt = null)
    {
        var rows = DriftRows.Of(host).Select(r => new ScriptObject
        {
            ["address"] = MarkdownText.Cell(r.Address),
            ["attribute"] = MarkdownText.Cell(r.Attribute),
            ["declared"] = MarkdownText.Cell(r.Declared),
            ["live"] = MarkdownText.Cell(r.Live),
            ["source"] = MarkdownText.Cell(r.Source),
        }).ToList();
        var findings = HostFindings.Rows(host, MarkdownText.Cell);
        reportAt ??= DefaultReportAt;
        string Render(int shown) => ViewTemplates.Render("drift-issue.sbn", new ScriptObject
        {
            ["marker"] = HostMarker(host.Host),
            ["digest"] = resolvedAt is null ? Digest(host) : "",
            ["host"] = MarkdownText.Code(host.Host),
            ["since"] = $"{since:yyyy-MM-dd HH:mm} UTC",
            ["resolved_at"] = resolvedAt is { } r ? $"{r:yyyy-MM-dd HH:mm} UTC" : null,
            ["commit"] = HostCommit.Of(host) is { } commit ? MarkdownText.Code(commit) : null,
            ["mention"] = mention,
            ["rows"] = rows.Take(shown).ToList(),
            ["drifted"] = rows.Count > 0,
            ["findings"] = findings,
            ["errors"] = HostFindings.Errors(host).Select(MarkdownText.Code).ToList(),
            ["fleet"] = MarkdownText.Code("fleet.html#" + FleetAnchor.Of(host.Host)),
            ["omitted"] = rows.Count - shown,
            ["rest_at"] = reportAt,
        });

        var whole = Render(rows.Count);
        if (GitHubBody.Measure(whole) <= GitHubBody.Budget) return whole;

        // The fixed part measured with every row left out (its longest note), then whole rows while they fit.
        var used = GitHubBody.Measure(Render(0));
        var shown = 0;
        foreach (var row in rows)
        {
            var line = $"| {row["address"]} | {row["attribute"]} | {row["declared"]} | {row["live"]} | {row["source"]} |\n";
            if (used + GitHubBody.Measure(line) > GitHubBody.Budget) break;
            used += GitHubBody.Measure(line);
            shown++;
        }

        // Should the estimate ever be off, the cut at line boundaries still keeps the body within the budget.
        return GitHubBody.Fit(Render(shown), $"This description is cut to GitHub's size limit. Every difference is in {reportAt}.");
    }

    public static string ChangedComment(HostPlan host, string? mention) => GitHubBody.Fit(
        $"{(mention is null ? "" : mention + " ")}The drift on {MarkdownText.Code(host.Host)} changed: {DriftRows.Of(host).Count} difference(s) now; the description shows them.",
        "This comment is cut to GitHub's size limit; the issue's description shows the drift.");

    [GeneratedRegex(@"<!-- reconciler-drift host=(\S+) -->")]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"<!-- reconciler-drift-digest ([0-9a-f]+) -->")]
    private static partial Regex DigestPattern();
}
