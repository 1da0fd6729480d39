using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Resources;
using Reconciler.Core.Specs;

namespace Reconciler.Specs.Tests.Kinds;

/// <summary>
/// The committed schema files are what the resource kinds generate, so an editor, the plan's consumers and the validator
/// all see one schema. When a kind's fragment changes, `reconciler schemas --dir schemas` rewrites the files.
/// </summary>
public sealed class GeneratedSchemaTests
{
    private static string Committed(string fileName) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schemas", fileName));

    [Fact]
    public void The_committed_resources_schema_is_the_one_generated_from_the_kinds()
    {
        Assert.True(
            Committed(ResourceSchema.ResourcesFileName) == ResourceSchema.Resources(ResourceKinds.All),
            "schemas/resources.schema.json differs from the kinds' fragments; run: reconciler schemas --dir schemas");
    }

    [Fact]
    public void The_committed_plan_schema_lists_exactly_the_kinds_plan_kinds()
    {
        var committed = Committed(ResourceSchema.PlanFileName);

        Assert.True(
            committed == ResourceSchema.Plan(committed, ResourceKinds.All),
            "the kind enum of schemas/plan.schema.json differs from the kinds; run: reconciler schemas --dir schemas");
    }

    [Fact]
    public void A_kind_left_out_of_the_catalog_changes_the_generated_schemas()
    {
        // Guards the two tests above: they compare against the catalog, so a kind missing from it must show.
        var withoutDovecot = ResourceKinds.All.Where(k => !k.Sections.Contains("dovecot")).ToList();
        var committedPlan = Committed(ResourceSchema.PlanFileName);

        Assert.NotEqual(Committed(ResourceSchema.ResourcesFileName), ResourceSchema.Resources(withoutDovecot));
        Assert.NotEqual(committedPlan, ResourceSchema.Plan(committedPlan, withoutDovecot));
        Assert.DoesNotContain("\"dovecot\"", ResourceSchema.Resources(withoutDovecot));
    }

    [Fact]
    public void The_generated_schema_keeps_the_sections_in_catalog_order_after_kind_and_target()
    {
        using var schema = System.Text.Json.JsonDocument.Parse(ResourceSchema.Resources(ResourceKinds.All));

        var sections = schema.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Equal(["kind", "target", .. ResourceKinds.All.SelectMany(k => k.Sections)], sections);
    }

    [Fact]
    public void A_fragment_that_declares_another_section_than_its_kind_reads_is_refused()
    {
        var kind = new FragmentOnly(["widgets"], """{ "properties": { "gadgets": { "type": "array" } } }""");

        var error = Assert.Throws<InvalidOperationException>(() => ResourceSchema.Resources([kind]));

        Assert.Equal("FragmentOnly's schema fragment declares sections [gadgets], the kind reads [widgets]", error.Message);
    }

    [Fact]
    public void Two_kinds_declaring_one_definition_are_refused()
    {
        var first = new FragmentOnly(["a"], """{ "properties": { "a": { "$ref": "#/definitions/item" } }, "definitions": { "item": {} } }""");
        var second = new FragmentOnly(["b"], """{ "properties": { "b": { "$ref": "#/definitions/item" } }, "definitions": { "item": {} } }""");

        var error = Assert.Throws<InvalidOperationException>(() => ResourceSchema.Resources([first, second]));

        Assert.Contains("the definition 'item', which is already declared", error.Message);
    }

    /// <summary>A kind with nothing but sections and a fragment: the generator reads nothing else.</summary>
    private sealed class FragmentOnly(IReadOnlyList<string> sections, string fragment) : IResourceKind
    {
        public IReadOnlyList<string> Sections => sections;
        public IReadOnlyList<string> PlanKinds => [];
        public IReadOnlyList<Type> ResourceTypes => [];
        public IReadOnlyList<Type> After => [];
        public string SchemaFragment => fragment;
        public IReadOnlyList<KindGrammar> Grammars => [];
        public string Identity(Resource resource) => resource.Address.ToString();
        public IReadOnlyList<HostileSample> HostileSamples(HostileText hostile) => [];
        public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading) => [];
        public IReadOnlyList<IResourceProvider> CreateProviders() => [];
    }
}
