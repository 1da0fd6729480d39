using Reconciler.Core.Plans;
using Scriban.Runtime;

namespace Reconciler.Cli.Views;

/// <summary>
/// The drift report as one self-contained HTML file (inline style, no scripts, no external URLs; the graphs are on fleet.html) that a nightly job can
/// publish as an artifact; every host or spec value is encoded here by <see cref="HtmlText"/>; the template adds no text of its own.
/// </summary>
internal static class DriftHtmlView
{
    public static string Render(Plan plan, DateTimeOffset generatedAt) =>
        ViewTemplates.Render("drift-report.html.sbn", new ScriptObject
        {
            ["generated_at"] = $"{generatedAt:yyyy-MM-dd HH:mm:ss} UTC",
            ["counts"] = DriftCounts.Of(plan).Sentence(HostFindings.Monitored(plan)),
            ["monitored"] = HostFindings.Monitored(plan),
            ["notes"] = DriftNotes.Of(plan).Select(HtmlText.Encode).ToList(),
            ["hosts"] = plan.Hosts.Select(h => new ScriptObject
            {
                ["name"] = HtmlText.Encode(h.Host),
                ["status"] = DriftRows.Status(h),
                ["css"] = DriftRows.Status(h).Replace(' ', '-'),
                ["section"] = HostFindings.HasSection(h),
                ["commit"] = HostCommit.Of(h) is { } commit ? HtmlText.Encode(commit) : null,
                ["error"] = h.Error is null ? null : HtmlText.Encode(h.Error),
                ["findings"] = HostFindings.Rows(h, HtmlText.Encode),
                ["monitoring_errors"] = HostFindings.Errors(h).Select(HtmlText.Encode).ToList(),
                ["rows"] = DriftRows.Of(h).Select(r => new ScriptObject
                {
                    ["address"] = HtmlText.Encode(r.Address),
                    ["attribute"] = HtmlText.Encode(r.Attribute),
                    ["declared"] = HtmlText.Encode(r.Declared),
                    ["live"] = HtmlText.Encode(r.Live),
                    ["source"] = HtmlText.Encode(r.Source),
                    ["detail"] = r.Detail.Count > 1 ? HtmlText.Encode(string.Join("\n", r.Detail)) : "",
                }).ToList(),
            }).ToList(),
        });
}
