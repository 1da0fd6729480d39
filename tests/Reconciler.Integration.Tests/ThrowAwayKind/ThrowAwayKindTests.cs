using Reconciler.Core.Resources;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;
using Reconciler.Specs.Schema;

namespace Reconciler.Integration.Tests.ThrowAwayKind;

/// <summary>
/// The kind contract, tried the way a contributor would: a kind written in this folder only (facts through a shared fact
/// unit, a group apply with a reload once after its notes, a rule, a name grammar) joins the real CLI through a catalog,
/// and validate → plan → apply → plan work on a real Debian host. Nothing outside this folder names it.
/// </summary>
public sealed class ThrowAwayKindTests
{
    private static readonly KindCatalog Catalog = ResourceKinds.Default.With(new NoteKind());

    private static Task<CliRun> Cli(params string[] args) => CliRun.ExecWithKindsAsync(Catalog, new Dictionary<string, string>(), args);

    [Fact]
    public void Nothing_outside_its_folder_names_the_kind()
    {
        var root = SpecsWorkspace.RepositoryRoot;
        var folder = Path.Combine(root, "tests", "Reconciler.Integration.Tests", "ThrowAwayKind");
        var mentions = new[] { "src", "tests", "schemas" }
            .SelectMany(top => Directory.EnumerateFiles(Path.Combine(root, top), "*", SearchOption.AllDirectories))
            .Where(f => !f.StartsWith(folder + "/", StringComparison.Ordinal) && !f.Contains("/bin/") && !f.Contains("/obj/"))
            .Where(f => f.EndsWith(".cs") || f.EndsWith(".json") || f.EndsWith(".csproj"))
            .Where(f => File.ReadAllText(f) is var text && (text.Contains("NoteKind") || text.Contains("ThrowAwayKind") || text.Contains("NoteProvider")))
            .ToList();

        Assert.Empty(mentions);
        Assert.Empty(KindGrammarCheck.Problems(new NoteKind()));
        Assert.Equal(ResourceKinds.Default.All.Count + 1, Catalog.All.Count);
    }

    [Fact]
    public async Task A_kind_from_a_test_project_validates_plans_applies_as_a_group_and_converges()
    {
        // Given a blank host and specs using the new section
        await using var host = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);

        // Its schema joins the generated one, its grammar and its rule are checked at their lines
        var schemas = Path.Combine(specs.Directory, "schemas");
        Directory.CreateDirectory(schemas);
        File.Copy(Path.Combine(SpecsWorkspace.RepositoryRoot, "schemas", "plan.schema.json"), Path.Combine(schemas, "plan.schema.json"));
        var generated = await Cli("schemas", "--dir", schemas);
        Assert.True(generated.ExitCode == 0, generated.ToString());
        Assert.Contains("\"notes\"", File.ReadAllText(Path.Combine(schemas, "resources.schema.json")));
        Directory.Delete(schemas, recursive: true);

        specs.Write("notes.yaml", "kind: resources\ntarget: { host: web1 }\nnotes:\n  - { name: Bad_Name, text: hi }\n");
        var badName = await Cli("validate", "--specs", specs.Directory);
        Assert.True(badName.ExitCode == 1, badName.ToString());
        Assert.Matches(@"notes\.yaml:4:\d+: error RC\d+: .*Bad_Name", badName.Stdout + badName.Stderr);
        specs.Write("notes.yaml", "kind: resources\ntarget: { host: web1 }\nnotes:\n  - { name: ok, text: hi }\n  - { name: secret, text: \"the password is x\" }\n");
        var rule = await Cli("validate", "--specs", specs.Directory);
        Assert.True(rule.ExitCode == 1, rule.ToString());
        Assert.Matches(@"notes\.yaml:5:\d+: error RC3012: note 'secret' says 'password': every local user can read a note", rule.Stdout + rule.Stderr);

        // When two notes are planned
        specs.Write("notes.yaml", "kind: resources\ntarget: { host: web1 }\nnotes:\n  - { name: welcome, text: hello }\n  - { name: motto, text: \"one round trip\" }\n");
        var plan = await Cli("plan", "--specs", specs.Directory);

        // Then both are creates and the reload shows once, on the first note
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("+ note[welcome]", plan.Stdout);
        Assert.Contains("+ note[motto]", plan.Stdout);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(plan.Stdout, "reload: \\(unset\\) → notes"));

        // When applied: both files, and one reload after them
        var apply = await Cli("apply", "--yes", "--specs", specs.Directory);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal("hello\n", (await host.ExecAsync("cat /etc/reconciler-notes/welcome")).Stdout);
        Assert.Equal("one round trip\n", (await host.ExecAsync("cat /etc/reconciler-notes/motto")).Stdout);
        Assert.Equal("reloaded\n", (await host.ExecAsync($"cat {NoteProvider.ReloadLog}")).Stdout);

        // And the next plan has nothing to do; a changed note reloads once more
        var again = await Cli("plan", "--specs", specs.Directory);
        Assert.True(again.ExitCode == 0, again.ToString());
        specs.Write("notes.yaml", "kind: resources\ntarget: { host: web1 }\nnotes:\n  - { name: welcome, text: bye }\n  - { name: motto, text: \"one round trip\" }\n");
        var second = await Cli("apply", "--yes", "--specs", specs.Directory);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal("reloaded\nreloaded\n", (await host.ExecAsync($"cat {NoteProvider.ReloadLog}")).Stdout);
    }
}
