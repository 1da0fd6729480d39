using System.Text;
using System.Text.RegularExpressions;
using Reconciler.Core.Text;
using Reconciler.Specs.Reference;

namespace Reconciler.Cli.Views;

/// <summary>
/// docs/kinds.md: the kind reference as Markdown, one section per file kind and kind with a field table and its complete
/// examples. Generated (<c>reconciler explain --markdown</c>); a test holds the committed file equal to this.
/// </summary>
internal static partial class KindsMarkdownView
{
    public const string RegenerateCommand = "reconciler explain --markdown > docs/kinds.md";

    public static string Render(SpecReference reference)
    {
        var md = new StringBuilder();
        var all = new[] { reference.Inventory, reference.Resources }.Concat(reference.Kinds).ToList();
        md.AppendLine("# Kind reference");
        md.AppendLine();
        md.AppendLine($"Generated from the JSON Schemas; do not edit by hand. Regenerate with `{RegenerateCommand}`.");
        md.AppendLine();
        md.AppendLine("Every `*.yaml` file under the specs directory is an `inventory` (exactly one) or a `resources` file; a resources "
            + "file names its `target` and has one section per kind below. The same reference is printed by `reconciler explain`, "
            + "`reconciler explain KIND` and `reconciler explain KIND.FIELD`; editors read the same schemas from `schemas/`.");
        md.AppendLine();
        foreach (var kind in all) md.AppendLine($"- [{kind.Name}](#{kind.Name}): {Text(kind.Summary)}");

        foreach (var kind in all)
        {
            md.AppendLine();
            md.AppendLine("## " + kind.Name);
            md.AppendLine();
            md.AppendLine($"{Text(kind.Field.Description)}");
            md.AppendLine();
            md.AppendLine($"Type: {Text(FieldFacts.Summary(kind.Field))}.");
            var fields = FieldFacts.Below(kind.Field).ToList();
            if (fields.Count > 0)
            {
                md.AppendLine();
                md.AppendLine(kind.Field.Type.StartsWith("list", StringComparison.Ordinal) ? "Fields of each item:" : "Fields:");
                md.AppendLine();
                md.AppendLine("| Field | Type | Description |");
                md.AppendLine("|---|---|---|");
                foreach (var (name, field) in fields)
                {
                    md.AppendLine($"| {MarkdownText.Cell(name)} | {Text(FieldFacts.Summary(field))} | {Cell(field)} |");
                }
            }

            foreach (var (name, field) in fields.Where(f => f.Field.Examples.Count > 0))
            {
                md.AppendLine();
                md.AppendLine(field.Examples.Count == 1 ? $"`{name}`, for example:" : $"`{name}`, for example (each one a way to write it):");
                // One block for a field's few short lines; each complete file keeps a block of its own to copy.
                AppendYaml(md, [string.Join("\n", field.Examples)]);
            }

            if (kind.Examples.Count > 0)
            {
                md.AppendLine();
                md.AppendLine(kind.Examples.Count == 1 ? "A complete file:" : "Complete files:");
                AppendYaml(md, kind.Examples);
            }
        }

        return md.ToString();
    }

    private static string Cell(FieldReference field)
    {
        var parts = new List<string>();
        if (field.Description.Length > 0) parts.Add(Text(field.Description));
        if (field.Allowed.Count > 0) parts.Add("Allowed: " + string.Join(", ", field.Allowed.Select(MarkdownText.Cell)) + ".");
        parts.AddRange(field.Rules.Select(Sentence).Select(rule => RulePattern().Match(rule) is { Success: true } m
            ? Text(m.Groups["lead"].Value) + MarkdownText.Cell(m.Groups["pattern"].Value) + "."
            : Text(rule) + "."));
        // Text escapes '|' and a code cell escapes its own, so no part can end the table cell.
        return string.Join(" ", parts);
    }

    /// <summary>A rule as a sentence after the description: "not empty" becomes "Not empty".</summary>
    private static string Sentence(string rule) => char.ToUpperInvariant(rule[0]) + rule[1..];

    private static void AppendYaml(StringBuilder md, IReadOnlyList<string> examples)
    {
        foreach (var example in examples)
        {
            var lines = example.TrimEnd('\n').Split('\n');
            var fence = MarkdownText.Fence(lines);
            md.AppendLine();
            md.AppendLine(fence + "yaml");
            foreach (var line in lines) md.AppendLine(line);
            md.AppendLine(fence);
        }
    }

    /// <summary>Schema prose as Markdown text: the characters Markdown would act on (emphasis, links, HTML) escaped.</summary>
    private static string Text(string text) => Active().Replace(VisibleText.Inline(text), @"\$0");

    [GeneratedRegex(@"[\\`*_\[\]<>&~#|]")]
    private static partial Regex Active();

    // A rule that ends in a pattern ("pattern ^[a-z]+$", "each item: names match ^x$"): the pattern goes in a code span.
    [GeneratedRegex(@"^(?<lead>.*(?:[Pp]attern|match) )(?<pattern>\^.*)$")]
    private static partial Regex RulePattern();
}
