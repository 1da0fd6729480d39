using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Reconciler.Core.Resources;

namespace Reconciler.Specs.Schema;

/// <summary>
/// Holds a kind's two writings of one name grammar equal: the pattern its code checks with and the one its schema fragment
/// gives the validator (<see cref="IResourceKind.Grammars"/>). The catalog's test runs it for every kind, so a new kind's
/// pairs are checked without a line of test code of their own.
/// </summary>
public static class KindGrammarCheck
{
    /// <summary>One line per pair of <paramref name="kind"/> that disagrees (or whose code pattern does not compile); empty when all agree.</summary>
    public static IReadOnlyList<string> Problems(IResourceKind kind)
    {
        var problems = new List<string>();
        foreach (var grammar in kind.Grammars)
        {
            var written = PatternAt(kind.SchemaFragment, grammar.SchemaPointer);
            if (written is null)
            {
                problems.Add($"{kind.GetType().Name}: its schema fragment has no pattern at {grammar.SchemaPointer}");
            }
            else if (written != SpecSchemas.AsWritten(grammar.Pattern))
            {
                problems.Add($"{kind.GetType().Name}: the schema fragment writes {written} at {grammar.SchemaPointer}, the code {grammar.Pattern}");
            }

            try
            {
                // The code's pattern compiles as the schema validator will anchor it.
                _ = new Regex(SpecSchemas.Anchored(grammar.Pattern));
            }
            catch (ArgumentException e)
            {
                problems.Add($"{kind.GetType().Name}: the code's pattern {grammar.Pattern} does not compile: {e.Message}");
            }
        }

        return problems;
    }

    /// <summary>The pattern at <paramref name="pointer"/> in <paramref name="fragment"/> (a <c>pattern</c>, or the one key of <c>patternProperties</c>), or null.</summary>
    internal static string? PatternAt(string fragment, string pointer)
    {
        var node = JsonNode.Parse(fragment);
        foreach (var part in pointer.Split('/'))
        {
            node = node?[part];
        }

        return node switch
        {
            JsonObject { Count: 1 } patternProperties => patternProperties.Single().Key,
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            _ => null,
        };
    }
}
