using Reconciler.Core.Resources;
using Reconciler.Core.Resources.Network;
using Reconciler.Core.Resources.Postfix;
using Reconciler.Specs.Schema;

namespace Reconciler.Specs.Tests.Kinds;

/// <summary>
/// A kind writes a name grammar twice, in its code and in its schema fragment; every kind in the catalog states the
/// pairs (<see cref="IResourceKind.Grammars"/>) and this one test holds each pair equal, so a new kind is covered too.
/// </summary>
public sealed class KindGrammarTests
{
    public static TheoryData<string, string, string> Grammars()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var kind in ResourceKinds.All)
        {
            foreach (var grammar in kind.Grammars)
            {
                data.Add(kind.GetType().Name, grammar.SchemaPointer, grammar.Pattern);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Grammars))]
    public void A_kinds_code_and_its_schema_fragment_write_one_grammar(string kindName, string pointer, string pattern)
    {
        var kind = ResourceKinds.All.Single(k => k.GetType().Name == kindName);

        var written = KindGrammarCheck.PatternAt(kind.SchemaFragment, pointer);

        Assert.True(written is not null, $"{kindName}'s schema fragment has no pattern at {pointer}");
        Assert.Equal(SpecSchemas.AsWritten(pattern), written);
        Assert.Empty(KindGrammarCheck.Problems(kind));
    }

    [Fact]
    public void The_kinds_with_name_grammars_state_them()
    {
        // Guards the theory above against an empty catalog of grammars: the kinds known to share grammars are in it.
        var stated = Grammars().Select(row => (string)row[0]).ToHashSet();

        Assert.Superset(new HashSet<string> { "SysctlKind", "FileKind", "PermissionsKind", "DsrKind", "MariaDbKind", "PostfixKind", "DovecotKind" }, stated);
        Assert.Contains(ResourceKinds.All.OfType<DsrKind>().Single().Grammars, g => g.Pattern == DsrRules.InterfaceNamePattern);
        Assert.Contains(ResourceKinds.All.OfType<PostfixKind>().Single().Grammars, g => g.Pattern == PostfixKind.ServicePattern);
    }

    [Fact]
    public void A_pattern_the_fragment_does_not_write_is_found()
    {
        Assert.Null(KindGrammarCheck.PatternAt("""{ "definitions": { "x": { "type": "string" } } }""", "definitions/x/pattern"));
        Assert.NotEqual(SpecSchemas.AsWritten("^[a-z]+\\z"), KindGrammarCheck.PatternAt("""{ "definitions": { "x": { "pattern": "^[a-z]*$" } } }""", "definitions/x/pattern"));
    }
}
