using Reconciler.Core.Model;
using System.Text.RegularExpressions;
using Reconciler.Core.Plans;
using Scriban.Runtime;

namespace Reconciler.Cli.Views;

/// <summary>
/// One GitHub issue per drifted host. Hidden markers carry the host (to find its issue again) and a digest of the
/// drift (to tell "the same drift again" from "the drift changed" without comparing prose).
/// </summary>
internal static partial class DriftIssueView
{
    public const string Label = "reconciler-drift";

    public static string Title(string host) => $"Drift on {host}";

    public static string HostMarker(string host) => $"<!-- reconciler-drift host={host} -->";

    /// <summary>A digest of what differs, over the masked rows, so even a hash never depends on a sensitive value.</summary>
    public static string Digest(HostPlan host)
    {
        var text = string.Join("\n", DriftRows.Of(host).Select(r => $"{r.Address}\t{r.Attribute}\t{r.Declared}\t{r.Live}\t{string.Join("\n", r.Detail)}"));
        return Sha256Text.Hex(text)[..16];
    }

    public static string? HostOf(string body) => HostPattern().Match(body) is { Success: true } m ? m.Groups[1].Value : null;

    public static string? DigestOf(string body) => DigestPattern().Match(body) is { Success: true } m ? m.Groups[1].Value : null;

    /// <param name="since">When the host was read; <paramref name="resolvedAt"/> is set when the issue is closed.</param>
    public static string Body(HostPlan host, DateTimeOffset since, string? mention, DateTimeOffset? resolvedAt = null) =>
        ViewTemplates.Render("drift-issue.sbn", new ScriptObject
        {
            ["marker"] = HostMarker(host.Host),
            ["digest"] = resolvedAt is null ? Digest(host) : "",
            ["host"] = MarkdownText.Code(host.Host),
            ["since"] = $"{since:yyyy-MM-dd HH:mm} UTC",
            ["resolved_at"] = resolvedAt is { } r ? $"{r:yyyy-MM-dd HH:mm} UTC" : null,
            ["commit"] = HostCommit.Of(host) is { } commit ? MarkdownText.Code(commit) : null,
            ["mention"] = mention,
            ["rows"] = DriftRows.Of(host).Select(r => new ScriptObject
            {
                ["address"] = MarkdownText.Cell(r.Address),
                ["attribute"] = MarkdownText.Cell(r.Attribute),
                ["declared"] = MarkdownText.Cell(r.Declared),
                ["live"] = MarkdownText.Cell(r.Live),
                ["source"] = MarkdownText.Cell(r.Source),
            }).ToList(),
        });

    public static string ChangedComment(HostPlan host, string? mention) =>
        $"{(mention is null ? "" : mention + " ")}The drift on {MarkdownText.Code(host.Host)} changed: {DriftRows.Of(host).Count} difference(s) now; the description shows them.";

    [GeneratedRegex(@"<!-- reconciler-drift host=(\S+) -->")]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"<!-- reconciler-drift-digest ([0-9a-f]+) -->")]
    private static partial Regex DigestPattern();
}
