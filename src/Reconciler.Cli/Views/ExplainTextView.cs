using System.Text;
using Reconciler.Specs.Reference;

namespace Reconciler.Cli.Views;

/// <summary>
/// <c>reconciler explain</c> as plain text for an 80-column terminal: the list of kinds, one kind with its fields and
/// complete example, or one field in detail.
/// </summary>
internal static class ExplainTextView
{
    public const int Width = 80;

    /// <summary>The file kinds and the resource kinds, one summary each, and how to ask for more.</summary>
    public static string Kinds(SpecReference reference)
    {
        var text = new StringBuilder();
        var files = new[] { reference.Inventory, reference.Resources };
        var column = files.Concat(reference.Kinds).Max(k => k.Name.Length) + 4;
        text.AppendLine("Spec files: every *.yaml under --specs is one of these, named by its 'kind:'.");
        text.AppendLine();
        foreach (var file in files) AppendHanging(text, "  " + file.Name, file.Summary, column);
        text.AppendLine();
        text.AppendLine("Kinds: the sections of a resources file (besides kind and target).");
        text.AppendLine();
        foreach (var kind in reference.Kinds) AppendHanging(text, "  " + kind.Name, kind.Summary, column);
        text.AppendLine();
        AppendWrapped(text, "'reconciler explain KIND' shows a kind's fields and a complete example; 'reconciler explain KIND.FIELD' one field, "
            + "e.g. 'reconciler explain permissions.remove' or 'reconciler explain inventory.hosts.host_key'.", 0);
        return text.ToString();
    }

    /// <summary>One kind (or file kind): its description, every field under it and its complete examples.</summary>
    public static string Kind(KindReference kind)
    {
        var text = new StringBuilder();
        AppendWrapped(text, $"{kind.Name} — {kind.Summary}", 0);
        AppendWrapped(text, "Type: " + FieldFacts.Summary(kind.Field), 0);
        AppendBody(text, kind.Field);
        AppendExamples(text, kind.Examples.Count == 1 ? "Example:" : "Examples:", kind.Examples);
        return text.ToString();
    }

    /// <summary>One field: its facts, description and examples, and every field under it.</summary>
    public static string Field(FieldReference field)
    {
        var text = new StringBuilder();
        AppendWrapped(text, $"{field.Path} ({FieldFacts.Summary(field)})", 0);
        AppendBody(text, field);
        return text.ToString();
    }

    private static void AppendBody(StringBuilder text, FieldReference field)
    {
        text.AppendLine();
        AppendDetails(text, field, 2);
        var below = FieldFacts.Below(field).ToList();
        if (below.Count == 0) return;
        text.AppendLine();
        text.AppendLine(field.Type.StartsWith("list", StringComparison.Ordinal) ? "Fields (of each item):" : "Fields:");
        foreach (var (name, child) in below)
        {
            text.AppendLine();
            AppendWrapped(text, $"{name} ({FieldFacts.Summary(child)})", 2);
            AppendDetails(text, child, 6);
        }
    }

    private static void AppendDetails(StringBuilder text, FieldReference field, int indent)
    {
        if (field.Description.Length > 0) AppendWrapped(text, field.Description, indent);
        if (field.Allowed.Count > 0) AppendWrapped(text, "Allowed: " + string.Join(", ", field.Allowed), indent);
        foreach (var rule in field.Rules) AppendWrapped(text, "Rule: " + rule, indent);
        if (field.Examples.Count > 0)
        {
            text.Append(' ', indent).AppendLine(field.Examples.Count == 1 ? "Example:" : "Examples:");
            foreach (var line in field.Examples.SelectMany(e => e.Split('\n'))) AppendLine(text, line, indent + 2);
        }
    }

    private static void AppendExamples(StringBuilder text, string heading, IReadOnlyList<string> examples)
    {
        if (examples.Count == 0) return;
        text.AppendLine();
        text.AppendLine(heading);
        foreach (var example in examples)
        {
            text.AppendLine();
            foreach (var line in example.TrimEnd('\n').Split('\n')) AppendLine(text, line, 2);
        }
    }

    /// <summary><paramref name="label"/> in a column, the text wrapped beside it (on the next line when the label is wider).</summary>
    private static void AppendHanging(StringBuilder text, string label, string body, int column)
    {
        var lines = Wrap(body, Width - column);
        text.Append(label.PadRight(column)).AppendLine(lines[0]);
        foreach (var line in lines.Skip(1)) text.Append(' ', column).AppendLine(line);
    }

    private static void AppendWrapped(StringBuilder text, string body, int indent)
    {
        foreach (var line in Wrap(body, Width - indent)) text.Append(' ', indent).AppendLine(line);
    }

    /// <summary>A line of an example, kept as it is unless too wide (then cut into pieces a reader can join).</summary>
    private static void AppendLine(StringBuilder text, string line, int indent)
    {
        var room = Width - indent;
        for (var start = 0; start == 0 || start < line.Length; start += room)
        {
            text.Append(' ', line.Length == 0 ? 0 : indent).AppendLine(line.Substring(start, Math.Min(room, line.Length - start)));
        }
    }

    /// <summary>Words filled into lines of at most <paramref name="width"/>; a longer word (a pattern) is cut across lines.</summary>
    internal static List<string> Wrap(string body, int width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in body.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }

            var rest = word;
            while (line.Length == 0 && rest.Length > width)
            {
                lines.Add(rest[..width]);
                rest = rest[width..];
            }

            if (line.Length > 0) line.Append(' ');
            line.Append(rest);
        }

        lines.Add(line.ToString());
        return lines;
    }
}
