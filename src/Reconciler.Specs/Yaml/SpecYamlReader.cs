using Reconciler.Core.Specs;
using System.Text.RegularExpressions;
using Reconciler.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Reconciler.Specs.Yaml;

/// <summary>
/// Builds a <see cref="SpecNode"/> tree from YamlDotNet's event stream with an explicit stack, so hostile input
/// (deep nesting, alias bombs) is reported as a diagnostic instead of exhausting the stack or memory.
/// </summary>
internal static partial class SpecYamlReader
{
    public const int MaxDepth = 64;
    public const int MaxExpandedNodes = 100_000;

    /// <summary>Returns the document's root, or null when it is empty or a diagnostic was reported.</summary>
    public static SpecNode? Read(string text, string displayPath, ICollection<Diagnostic> diagnostics)
    {
        var state = new SpecTreeBuilder(displayPath, diagnostics);
        var scanner = new Scanner(new StringReader(text), skipComments: true);
        var parser = new Parser(scanner);
        while (true)
        {
            ParsingEvent current;
            try
            {
                if (!parser.MoveNext())
                {
                    break;
                }

                current = parser.Current!;
            }
            catch (YamlException e)
            {
                state.Fail(DiagnosticCodes.YamlSyntax, "YAML syntax: " + CleanMessage(e.Message), e.Start, text);
                return null;
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
            {
                // YamlDotNet's scanner throws these on some malformed input instead of a YamlException.
                state.Fail(
                    DiagnosticCodes.YamlSyntax,
                    "invalid YAML: the parser could not continue here (check brackets, braces and quotes)",
                    scanner.CurrentPosition, text);
                return null;
            }

            if (!state.Accept(current))
            {
                return null;
            }
        }

        return state.Root;
    }

    /// <summary>YamlDotNet prefixes messages with the position we already report separately.</summary>
    private static string CleanMessage(string message) => PositionPrefix().Replace(message, "");

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();
}
