using System.Net;
using Reconciler.Core.Text;

namespace Reconciler.Cli.Views;

/// <summary>Host and spec text for HTML (the drift report, and the HTML parts of a comment such as a summary line).</summary>
internal static class HtmlText
{
    /// <summary>Encoded for element content or a quoted attribute, after controls are made visible.</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(VisibleText.Lines(text ?? ""));

    /// <summary>One line for a quoted attribute (a chart's label): line breaks shown as <c>\n</c> like every other control.</summary>
    public static string Inline(string? text) => WebUtility.HtmlEncode(VisibleText.Inline(text ?? ""));
}
