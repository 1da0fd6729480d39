using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Engine;

/// <summary>
/// Issue 16: fact units share no output stream. Each query is read in a section of its own, so two units printing the
/// same tag at the same index never meet, a parser sees only its own section, and equal queries are read once.
/// </summary>
public sealed class FramedFactQueryTests
{
    private static readonly SourceLocation At = new("specs/a.yaml", 1, 1);

    private static HostDesiredState Host(params Resource[] resources) =>
        new(new HostSpec("h", "10.0.0.1", 22, "root", "~/.ssh/id", "SHA256:x", [], new Dictionary<string, object?>()), resources);

    private sealed record Probe(string Name, SourceLocation Source) : Resource(Source)
    {
        public override ResourceAddress Address => new("probe", Name);
    }

    private sealed record Other(string Name, SourceLocation Source) : Resource(Source)
    {
        public override ResourceAddress Address => new("other", Name);
    }

    /// <summary>What a provider saw: the lines of each unit it asked for.</summary>
    private sealed record Seen(IReadOnlyDictionary<string, IReadOnlyList<string>> Lines);

    /// <summary>The shared unit both kinds ask, word for word: one section however many ask.</summary>
    private static readonly FactQuery Shared = new("shared", "printf 'L\\t0\\tshared\\n'");

    /// <summary>A kind whose own query prints <c>L 0 VALUE</c> — the tag and index the shared unit prints too.</summary>
    private sealed class TaggingProvider<T>(string kind, string value, bool shared) : ResourceProvider<T, Seen>
        where T : Resource
    {
        public override string Kind => kind;

        protected override string ReadScript(IReadOnlyList<T> resources) => $"printf 'L\\t0\\t{value}\\n'";

        protected override IReadOnlyList<FactQuery> SharedQueries(IReadOnlyList<T> resources) => shared ? [Shared] : [];

        protected override IReadOnlyList<Seen> ParseFacts(IReadOnlyList<T> resources, FactAnswers answers)
        {
            var units = shared ? new[] { Kind, Shared.Unit } : [Kind];
            // Strict as every kind: each record of each section must be indexed for a resource read.
            foreach (var unit in units)
            {
                _ = ByIndex(answers[unit], resources.Count);
            }

            return resources.Select(_ => new Seen(units.ToDictionary(u => u, u => answers[u]))).ToList();
        }

        protected override ResourceChange Diff(T desired, Seen observed) => ResourceChange.NoOp(desired);

        protected override string ApplyScript(T desired, Seen observed, ResourceChange change) => ":";
    }

    private static async Task<(IReadOnlyList<PlannedResource> Planned, string Script)> ReadAsync(ProviderRegistry providers, params Resource[] resources)
    {
        var transport = new FakeTransport();
        await using var session = await transport.ConnectAsync(Host().Host, CancellationToken.None);
        var planned = await FactReader.ReadAndDiffAsync(session, Host(resources), providers, CancellationToken.None);
        return (planned, Assert.Single(transport.Scripts["h"]));
    }

    [Fact]
    public async Task A_parser_sees_only_its_own_sections_lines()
    {
        var providers = new ProviderRegistry([new TaggingProvider<Probe>("probe", "mine", shared: false), new TaggingProvider<Other>("other", "theirs", shared: false)]);

        var (planned, _) = await ReadAsync(providers, new Probe("a", At), new Other("b", At));

        Assert.Equal(["L\t0\tmine"], ((Seen)planned[0].Observed!).Lines["probe"]);
        Assert.Equal(["L\t0\ttheirs"], ((Seen)planned[1].Observed!).Lines["other"]);
    }

    [Fact]
    public async Task Records_of_two_units_with_the_same_tag_and_index_do_not_collide()
    {
        var providers = new ProviderRegistry([new TaggingProvider<Probe>("probe", "own", shared: true)]);

        var (planned, _) = await ReadAsync(providers, new Probe("a", At));

        // Both units print "L 0": each is read strictly (ByIndex), and neither sees the other's record.
        var seen = (Seen)planned[0].Observed!;
        Assert.Equal(["L\t0\town"], seen.Lines["probe"]);
        Assert.Equal(["L\t0\tshared"], seen.Lines["shared"]);
    }

    [Fact]
    public async Task Identical_queries_from_two_kinds_are_read_once_in_one_section_and_answer_both()
    {
        var providers = new ProviderRegistry([new TaggingProvider<Probe>("probe", "p", shared: true), new TaggingProvider<Other>("other", "o", shared: true)]);

        var (planned, script) = await ReadAsync(providers, new Probe("a", At), new Other("b", At));

        Assert.Equal(1, Count(script, Shared.Script));
        Assert.Equal(1, Count(script, " begin shared'"));
        Assert.Equal(3, Count(script, " begin "));
        Assert.All(planned, p => Assert.Equal(["L\t0\tshared"], ((Seen)p.Observed!).Lines["shared"]));
    }

    [Fact]
    public void The_script_size_check_counts_a_query_asked_twice_once()
    {
        var big = new FactQuery("big", "# " + new string('x', (FactReader.MaxScriptBytes / 2) + 10));
        var providers = new ProviderRegistry([new BigProvider<Probe>("probe", big), new BigProvider<Other>("other", big)]);

        Assert.Null(FactReader.ScriptTooLarge(Host(new Probe("a", At), new Other("b", At)), providers));
        Assert.NotNull(FactReader.ScriptTooLarge(Host(new Probe("a", At), new Other("b", At)),
            new ProviderRegistry([new BigProvider<Probe>("probe", big), new BigProvider<Other>("other", big with { Unit = "big2" })])));
    }

    [Fact]
    public void A_malformed_record_in_a_shared_unit_is_the_hosts_error_named_by_that_unit()
    {
        IResourceProvider provider = new TaggingProvider<Probe>("probe", "p", shared: true);
        var answers = new FactAnswers(new Dictionary<string, IReadOnlyList<string>> { ["probe"] = ["L\t0\tp"], ["shared"] = ["L\t7\tx"] });

        var e = Assert.Throws<MalformedFactsException>(() => provider.ParseFacts([new Probe("a", At)], answers));

        Assert.Contains("'L' record for resource index '7'", e.Message);
    }

    private sealed class BigProvider<T>(string kind, FactQuery big) : ResourceProvider<T, Seen>
        where T : Resource
    {
        public override string Kind => kind;

        protected override string ReadScript(IReadOnlyList<T> resources) => "";

        protected override IReadOnlyList<FactQuery> SharedQueries(IReadOnlyList<T> resources) => [big];

        protected override IReadOnlyList<Seen> ParseFacts(IReadOnlyList<T> resources, FactAnswers answers) =>
            resources.Select(_ => new Seen(new Dictionary<string, IReadOnlyList<string>>())).ToList();

        protected override ResourceChange Diff(T desired, Seen observed) => ResourceChange.NoOp(desired);

        protected override string ApplyScript(T desired, Seen observed, ResourceChange change) => ":";
    }

    private static int Count(string text, string part)
    {
        var n = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
