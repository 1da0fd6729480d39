using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Reconciler.Specs.Reference;

/// <summary>
/// A schema example (a JSON value) written as the YAML a person would type: block style, short lists of scalars in flow
/// style, a string quoted only where YAML would read it otherwise. A test loads every example written this way through
/// the spec loader, so a quoting slip here shows as an example that stops validating.
/// </summary>
internal static partial class YamlText
{
    private const int MaxFlowWidth = 60;

    /// <summary>A whole document: the entries of <paramref name="mapping"/> at the left margin.</summary>
    public static string Document(JsonObject mapping)
    {
        var lines = new List<string>();
        foreach (var (key, value) in mapping)
        {
            Entry(lines, key, value, 0);
        }

        return string.Join("\n", lines) + "\n";
    }

    /// <summary><c>key: value</c>, the value on following lines when it is a block.</summary>
    public static string Entry(string key, JsonNode? value)
    {
        var lines = new List<string>();
        Entry(lines, key, value, 0);
        return string.Join("\n", lines);
    }

    /// <summary>A scalar as it would be written after <c>key: </c>; null for a list or a mapping.</summary>
    public static string? Scalar(JsonNode? value) => value is JsonArray or JsonObject ? null : Plain(value, flow: false);

    private static void Entry(List<string> lines, string key, JsonNode? value, int indent)
    {
        var pad = new string(' ', indent);
        var head = pad + Plain(JsonValue.Create(key), flow: false) + ":";
        switch (value)
        {
            case JsonObject { Count: 0 }:
                lines.Add(head + " {}");
                break;
            case JsonArray { Count: 0 }:
                lines.Add(head + " []");
                break;
            case JsonArray array when Flow(array) is { } flow:
                lines.Add(head + " " + flow);
                break;
            case JsonObject mapping when Flow(mapping) is { } flow:
                lines.Add(head + " " + flow);
                break;
            case JsonArray array:
                lines.Add(head);
                foreach (var item in array)
                {
                    Item(lines, item, indent + 2);
                }

                break;
            case JsonObject mapping:
                lines.Add(head);
                foreach (var (childKey, childValue) in mapping)
                {
                    Entry(lines, childKey, childValue, indent + 2);
                }

                break;
            case JsonValue text when text.GetValueKind() == JsonValueKind.String && Literal(text.GetValue<string>()) is { } block:
                lines.Add(head + " " + block.Indicator);
                lines.AddRange(block.Lines.Select(line => line.Length == 0 ? "" : pad + "  " + line));
                break;
            default:
                lines.Add(head + " " + Plain(value, flow: false));
                break;
        }
    }

    private static void Item(List<string> lines, JsonNode? item, int indent)
    {
        var pad = new string(' ', indent);
        switch (item)
        {
            case JsonObject { Count: > 0 } mapping:
                // The first key shares the dash's line; the rest line up under it.
                var first = lines.Count;
                foreach (var (key, value) in mapping)
                {
                    Entry(lines, key, value, indent + 2);
                }

                lines[first] = pad + "- " + lines[first][(indent + 2)..];
                break;
            case JsonArray { Count: > 0 } array when Flow(array) is null:
                lines.Add(pad + "-");
                foreach (var nested in array)
                {
                    Item(lines, nested, indent + 2);
                }

                break;
            default:
                var scalar = item switch
                {
                    JsonArray array => Flow(array) ?? "[]",
                    JsonObject => "{}",
                    _ => Plain(item, flow: false),
                };
                lines.Add(pad + "- " + scalar);
                break;
        }
    }

    /// <summary>A list of scalars, or a mapping of scalars, short enough for one line: <c>[a, b]</c>, <c>{ group: web }</c>.</summary>
    private static string? Flow(JsonNode node)
    {
        string? text = node switch
        {
            JsonArray array when array.All(IsFlowScalar) => "[" + string.Join(", ", array.Select(i => Plain(i, flow: true))) + "]",
            JsonObject mapping when mapping.Count <= 3 && mapping.All(p => IsFlowScalar(p.Value)) =>
                "{ " + string.Join(", ", mapping.Select(p => Plain(JsonValue.Create(p.Key), flow: true) + ": " + Plain(p.Value, flow: true))) + " }",
            _ => null,
        };
        return text is { Length: <= MaxFlowWidth } ? text : null;
    }

    private static bool IsFlowScalar(JsonNode? node) =>
        node is not (JsonArray or JsonObject) && !(node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Contains('\n'));

    private static string Plain(JsonNode? value, bool flow)
    {
        if (value is null) return "null";
        switch (value.GetValueKind())
        {
            case JsonValueKind.True:
                return "true";
            case JsonValueKind.False:
                return "false";
            case JsonValueKind.Number:
                return value.ToJsonString();
            case JsonValueKind.String:
                var text = value.GetValue<string>();
                return NeedsQuotes(text, flow) ? Quoted(text) : text;
            default:
                return "null";
        }
    }

    /// <summary>Whether YAML would read <paramref name="text"/> as something else, or not at all, without quotes.</summary>
    private static bool NeedsQuotes(string text, bool flow) =>
        text.Length == 0
        || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])
        || "-?:,[]{}#&*!|>'\"%@`".Contains(text[0])
        || text.Contains(": ", StringComparison.Ordinal) || text.Contains(" #", StringComparison.Ordinal) || text.EndsWith(':')
        || text.Any(char.IsControl)
        || (flow && text.IndexOfAny([',', '[', ']', '{', '}']) >= 0)
        || NotAString().IsMatch(text)
        || NumberLike().IsMatch(text);

    private static string Quoted(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>A multi-line string as a literal block (<c>|</c>, <c>|-</c> or <c>|+</c> for its final newlines).</summary>
    private static (string Indicator, string[] Lines)? Literal(string text)
    {
        if (!text.Contains('\n') || text.StartsWith(' ') || text.Any(c => char.IsControl(c) && c != '\n')) return null;
        var body = text.TrimEnd('\n');
        var finalNewlines = text.Length - body.Length;
        var indicator = finalNewlines switch { 0 => "|-", 1 => "|", _ => "|+" };
        var lines = body.Split('\n');
        return (indicator, finalNewlines > 1 ? [.. lines, .. Enumerable.Repeat("", finalNewlines - 1)] : lines);
    }

    // YAML 1.1 and 1.2 words for null and booleans; either reading would not be the string.
    [GeneratedRegex("^(~|null|true|false|yes|no|on|off|y|n)$", RegexOptions.IgnoreCase)]
    private static partial Regex NotAString();

    // What YAML 1.1 or 1.2 reads as a number: decimal, octal 0644 or 0o644, 1.1, .5, 1e3, 0x1f, 0b101, 1_000, 1:30
    // (base 60), .inf, .nan.
    [GeneratedRegex(@"^([-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?0x[0-9a-fA-F_]+|[-+]?0o?[0-7_]+|[-+]?0b[01_]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex NumberLike();
}
