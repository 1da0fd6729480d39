using Reconciler.Core.Plans;
using Scriban.Runtime;

namespace Reconciler.Cli.Views;

/// <summary>
/// The drift report as one self-contained HTML file (inline style, no scripts, no external URLs) that a nightly job can
/// publish as an artifact; every value is HTML-escaped by the template.
/// </summary>
internal static class DriftHtmlView
{
    public static string Render(Plan plan, DateTimeOffset generatedAt) =>
        ViewTemplates.Render("drift-report.html.sbn", new ScriptObject
        {
            ["generated_at"] = $"{generatedAt:yyyy-MM-dd HH:mm:ss} UTC",
            ["in_sync"] = plan.Hosts.Count(h => DriftRows.Status(h) == "in sync"),
            ["drifted"] = plan.Hosts.Count(h => DriftRows.Status(h) == "drifted"),
            ["unreachable"] = plan.Hosts.Count(h => DriftRows.Status(h) == "unreachable"),
            ["hosts"] = plan.Hosts.Select(h => new ScriptObject
            {
                ["name"] = h.Host,
                ["status"] = DriftRows.Status(h),
                ["css"] = DriftRows.Status(h).Replace(' ', '-'),
                ["commit"] = HostCommit.Of(h),
                ["error"] = h.Error,
                ["rows"] = DriftRows.Of(h).Select(r => new ScriptObject
                {
                    ["address"] = r.Address,
                    ["attribute"] = r.Attribute,
                    ["declared"] = r.Declared,
                    ["live"] = r.Live,
                    ["source"] = r.Source,
                    ["detail"] = r.Detail.Count > 1 ? string.Join("\n", r.Detail) : "",
                }).ToList(),
            }).ToList(),
        });
}
