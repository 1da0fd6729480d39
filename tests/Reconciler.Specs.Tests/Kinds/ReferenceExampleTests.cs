using System.Text.Json.Nodes;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Resources;
using Reconciler.Core.Secrets;
using Reconciler.Specs.Reference;
using Reconciler.Specs.Schema;
using Reconciler.Specs.Yaml;

namespace Reconciler.Specs.Tests.Kinds;

/// <summary>
/// Issue 21: every kind's reference carries a complete file a newcomer can copy, and that file is what validate accepts.
/// Each example is loaded as the reference shows it (YAML written from the schema's example) beside the inventory's own
/// example, through the real spec loader: an example that stops validating fails here, naming the problem.
/// </summary>
public sealed class ReferenceExampleTests
{
    private static readonly SpecReference Reference = SpecReference.Of(ResourceKinds.Default);

    public static TheoryData<string> Kinds => [.. Reference.Kinds.Select(k => k.Name)];

    [Fact]
    public void Every_kind_has_a_title_that_fits_a_list_line_and_at_least_one_complete_example()
    {
        var lacking = Reference.Kinds
            .Where(k => k.Examples.Count == 0 || k.Summary.Length is 0 or > 60)
            .Select(k => $"{k.Name}: {k.Examples.Count} example(s), summary '{k.Summary}'")
            .ToList();

        Assert.True(lacking.Count == 0, "give each section a title (at most 60 characters) and an example in its schema:\n" + string.Join("\n", lacking));
    }

    [Fact]
    public void Both_file_kinds_have_a_summary_and_a_complete_example()
    {
        Assert.All([Reference.Inventory, Reference.Resources], file => Assert.True(file.Summary.Length > 0 && file.Examples.Count > 0, file.Name));
    }

    [Fact]
    public void Every_field_has_a_description()
    {
        var bare = Reference.Kinds.Prepend(Reference.Resources).Prepend(Reference.Inventory)
            .SelectMany(k => Descendants(k.Field))
            .Where(f => f.Description.Length == 0)
            .Select(f => f.Path)
            .ToList();

        Assert.True(bare.Count == 0, "fields without a description in the schema: " + string.Join(", ", bare));
    }

    [Fact]
    public void The_inventory_example_validates_on_its_own()
    {
        using var specs = new SpecDirectory();
        specs.Write("inventory.yaml", Reference.Inventory.Examples[0]);

        Assert.Equal("", Problems(specs));
    }

    [Fact]
    public void The_resources_file_example_validates_with_the_inventory_example()
    {
        Assert.All(Reference.Resources.Examples, example => Assert.Equal("", ProblemsOf(example)));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_example_of_a_kind_validates_with_the_inventory_example(string kind)
    {
        var examples = Reference.Kinds.Single(k => k.Name == kind).Examples;

        Assert.NotEmpty(examples);
        Assert.All(examples, example => Assert.True(ProblemsOf(example) is var problems && problems.Length == 0, $"{kind}'s example:\n{example}\ndoes not validate:\n{problems}"));
    }

    [Fact]
    public void Every_field_example_is_accepted_by_its_fields_schema()
    {
        // A field's example is a fragment, not a file: it is read as the YAML shown and checked against that field's
        // schema (with the file's definitions), the way validate checks the field inside a file.
        var problems = Reference.Kinds.Prepend(Reference.Resources).Prepend(Reference.Inventory)
            .SelectMany(kind => Descendants(kind.Field).Select(field => (Kind: kind.Name, Field: field)))
            .Where(f => f.Field.Examples.Count > 0)
            .SelectMany(f => f.Field.Examples.Select(example => (f.Field.Path, Example: example, Problems: FieldProblems(f.Kind, f.Field, example))))
            .Where(f => f.Problems.Length > 0)
            .Select(f => $"{f.Path}: {f.Example}\n  {f.Problems}")
            .ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Contains("does not match the pattern", FieldProblems("permissions", Field("permissions.remove"), "remove: g+w"));
        Assert.Contains("error RC2001: remove:", FieldProblems("permissions", Field("permissions.remove"), "remove: [group-writable]"));
    }

    [Fact]
    public void An_example_that_breaks_the_schema_is_reported()
    {
        // Guards the tests above: the same loading finds a clause that adds bits, as the newcomer's guess did.
        var example = Reference.Kinds.Single(k => k.Name == "permissions").Examples[0];
        Assert.Contains("remove: g-w,o-w", example);

        Assert.Contains("error RC2001: permissions[0].remove:", ProblemsOf(example.Replace("remove: g-w,o-w", "remove: [group-writable]")));
        Assert.Contains("does not match the pattern", ProblemsOf(example.Replace("g-w,o-w", "g+w")));
    }

    [Fact]
    public void Examples_are_written_as_yaml_that_keeps_their_values()
    {
        var sysctls = Reference.Kinds.Single(k => k.Name == "sysctls").Examples[0];
        var configLines = Reference.Kinds.Single(k => k.Name == "config_lines").Examples[0];
        var files = Reference.Kinds.Single(k => k.Name == "files").Examples[0];

        // A string that YAML would read as a number (or not at all) is quoted, any other left plain; a number stays a
        // number; a multi-line content is a literal block.
        Assert.Contains("value: 32768 60999\n", sysctls);
        Assert.Contains("value: 1\n", sysctls);
        Assert.Contains("value: \"027\"\n", configLines);
        Assert.Contains("mode: \"0644\"", files);
        Assert.Contains("content: |\n      Managed by reconciler", files);
        Assert.StartsWith("kind: resources\ntarget: { group: all }\n", files);
    }

    private static string ProblemsOf(string resourcesFile)
    {
        using var specs = new SpecDirectory();
        specs.Write("inventory.yaml", Reference.Inventory.Examples[0]).Write("example.yaml", resourcesFile);
        return Problems(specs);
    }

    private static string Problems(SpecDirectory specs)
    {
        // Every secret an example names has a value, as the operator would supply it.
        var result = new SpecLoader(new SecretStore(_ => "an example secret value")).Load(specs.Root);
        return string.Join("\n", result.Diagnostics.Select(d => d.ToString()));
    }

    private static FieldReference Field(string path) => Reference.Find(path).Field!;

    private static string FieldProblems(string kind, FieldReference field, string example)
    {
        var file = JsonNode.Parse(kind == SpecReference.InventoryName ? SpecSchemas.InventoryText : ResourceSchema.Resources(ResourceKinds.All))!;
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { [field.Name] = field.Schema!.DeepClone() },
            ["definitions"] = file["definitions"]!.DeepClone(),
        };
        var diagnostics = new List<Diagnostic>();
        var node = SpecYamlReader.Read(example, "example.yaml", diagnostics);
        var parsed = NJsonSchema.JsonSchema.FromJsonAsync(schema.ToJsonString()).GetAwaiter().GetResult();
        var errors = node is null ? diagnostics : diagnostics.Concat(SpecSchemaValidator.Validate(node, parsed));
        return string.Join("; ", errors.Select(d => d.ToString()));
    }

    private static IEnumerable<FieldReference> Descendants(FieldReference field) =>
        field.Fields.SelectMany(child => Descendants(child).Prepend(child));
}
