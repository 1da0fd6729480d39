using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Resources;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Tests.Kinds;

/// <summary>
/// Apply order is relative: a kind names the kinds it comes after, and the catalog's order breaks ties, so the order is
/// written down where it matters and never changes by accident where it does not.
/// </summary>
public sealed class KindOrderTests
{
    [Fact]
    public void A_kind_comes_after_the_kinds_it_names_and_otherwise_keeps_the_given_order()
    {
        var a = new KindA(typeof(KindC));
        var b = new KindB();
        var c = new KindC();

        Assert.Equal([b, c, a], KindOrder.Sort([a, b, c]));
        Assert.Equal([c, a, b], KindOrder.Sort([c, a, b]));
    }

    [Fact]
    public void Kinds_that_wait_on_each_other_are_refused_with_the_loop_named()
    {
        var a = new KindA(typeof(KindB));
        var b = new KindB(typeof(KindA));
        var c = new KindC();

        var error = Assert.Throws<InvalidOperationException>(() => KindOrder.Sort([a, b, c]));

        Assert.Equal("the kinds' apply order has a loop: KindA after KindB, KindB after KindA", error.Message);
    }

    [Fact]
    public void A_kind_after_one_that_is_not_in_the_catalog_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => KindOrder.Sort([new KindA(typeof(KindB))]));

        Assert.Equal("KindA is applied after KindB, which is not in the catalog", error.Message);
    }

    [Fact]
    public void The_catalogs_kinds_have_an_apply_order()
    {
        // The catalog sorts them when first used; a loop there would fail every run, so it is caught here first.
        Assert.Equal(ResourceKinds.All.Count, KindOrder.Sort(ResourceKinds.All).Count);
    }

    private sealed class KindA(params Type[] after) : TestKind(after);

    private sealed class KindB(params Type[] after) : TestKind(after);

    private sealed class KindC(params Type[] after) : TestKind(after);

    /// <summary>A kind with nothing but its place in apply order (its own type is what others name).</summary>
    private abstract class TestKind(IReadOnlyList<Type> after) : IResourceKind
    {
        public IReadOnlyList<string> Sections => [];
        public IReadOnlyList<string> PlanKinds => [];
        public IReadOnlyList<Type> ResourceTypes => [];
        public IReadOnlyList<Type> After => after;
        public string SchemaFragment => "{}";
        public IReadOnlyList<KindGrammar> Grammars => [];
        public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading) => [];
        public IReadOnlyList<IResourceProvider> CreateProviders() => [];
        public string Identity(Resource resource) => resource.Address.ToString();
        public IReadOnlyList<HostileSample> HostileSamples(HostileText hostile) => [];
    }
}
