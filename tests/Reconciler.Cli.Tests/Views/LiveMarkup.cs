using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Reconciler.Cli.Tests.Views;

/// <summary>
/// What in a rendered output would act rather than show: in Markdown (parsed as GitHub does, with autolinks and tables)
/// links, images, autolinks, raw HTML other than this tool's own markers and folds, and @mentions outside code; in a
/// console or log text, escape sequences, other controls and lines starting a workflow command.
/// </summary>
public static partial class LiveMarkup
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseAutoLinks().Build();

    /// <summary>HTML this tool writes itself: comment markers and the details/summary fold of a host's section.</summary>
    private static readonly Regex OwnHtml = OwnHtmlPattern();

    public static IReadOnlyList<string> InMarkdown(string markdown)
    {
        var found = new List<string>();
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var node in document.Descendants())
        {
            switch (node)
            {
                case LinkInline link:
                    found.Add($"{(link.IsImage ? "image" : "link")} to {link.Url}");
                    break;
                case AutolinkInline auto:
                    found.Add($"autolink {auto.Url}");
                    break;
                case HtmlInline html when !OwnHtml.IsMatch(html.Tag):
                    found.Add($"inline HTML {html.Tag}");
                    break;
                case HtmlBlock block:
                    var text = block.Lines.ToString();
                    var stripped = OwnHtml.Replace(text, "");
                    if (stripped.Contains('<')) found.Add($"HTML block {text}");
                    break;
                case LiteralInline literal when Mention().Match(literal.Content.ToString()) is { Success: true } m:
                    found.Add($"mention {m.Value}");
                    break;
            }
        }

        return found;
    }

    public static IReadOnlyList<string> InConsole(string text)
    {
        var found = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            if (line.TrimStart().StartsWith("::", StringComparison.Ordinal)) found.Add($"workflow command: {line}");
            if (line.Any(c => c != '\t' && c != '\r' && char.IsControl(c))) found.Add($"control character: {line}");
        }

        return found;
    }

    [GeneratedRegex(@"<!-- reconciler-[^>]*-->|</?details>|</?summary>|</?code>|<br\s*/?>")]
    private static partial Regex OwnHtmlPattern();

    [GeneratedRegex(@"(?<![\w`])@[A-Za-z0-9][\w-]*")]
    private static partial Regex Mention();
}
