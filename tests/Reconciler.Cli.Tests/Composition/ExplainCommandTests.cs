using Reconciler.Cli.Views;
using Reconciler.Core.Resources;
using Reconciler.Specs.Reference;

namespace Reconciler.Cli.Tests.Composition;

/// <summary>
/// Issue 21: <c>reconciler explain</c> prints the spec reference read from the schemas: the kinds, one kind with its
/// fields and complete example, one field however deep; an unknown name is one line with the closest name, exit 1.
/// </summary>
public sealed class ExplainCommandTests
{
    public static TheoryData<string> Kinds => [.. SpecReference.Of(ResourceKinds.Default).Kinds.Select(k => k.Name), "inventory", "resources"];

    [Fact]
    public async Task Without_an_argument_it_lists_the_file_kinds_and_every_kind_with_its_title()
    {
        var (exit, output, errors) = await Explain();

        Assert.Equal(0, exit);
        Assert.Equal("", errors);
        Assert.Contains("  inventory        The hosts Reconciler manages", output);
        Assert.Contains("  resources        Desired state for the hosts", output);
        foreach (var kind in SpecReference.Of(ResourceKinds.Default).Kinds)
        {
            Assert.Contains($"\n  {kind.Name.PadRight(17)}{kind.Summary}\n", output);
        }

        FitsEightyColumns(output);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_kind_shows_its_fields_and_a_complete_example_in_eighty_columns(string kind)
    {
        var (exit, output, errors) = await Explain(kind);

        Assert.Equal(0, exit);
        Assert.Equal("", errors);
        Assert.StartsWith(kind + " — ", output);
        Assert.Matches("\n(Example|Examples):\n\n  kind: ", output);
        FitsEightyColumns(output);
    }

    [Fact]
    public async Task The_permissions_kind_shows_every_field_with_type_default_rules_and_the_example()
    {
        var (_, output, _) = await Explain("permissions");

        Assert.Contains("Fields (of each item):", output);
        Assert.Contains("\n  path (string, required)\n", output);
        Assert.Contains("\n  recursive (boolean, default true)\n", output);
        Assert.Contains("\n  remove (string, required)\n", output);
        Assert.Contains("      Rule: pattern ^[ugoa]+-[rwxst]+(,[ugoa]+-[rwxst]+)*$\n", output);
        Assert.Contains("\n  exclude (list of strings)\n", output);
        Assert.Contains("""
              kind: resources
              target: { group: all }
              permissions:
                - path: /etc
                  remove: g-w,o-w
            """.ReplaceLineEndings("\n"), output);
    }

    [Fact]
    public async Task A_field_of_a_lists_items_is_explained_with_its_examples()
    {
        var (exit, output, _) = await Explain("permissions.remove");

        Assert.Equal(0, exit);
        Assert.StartsWith("permissions.remove (string, required)\n\n", output);
        Assert.Contains("'remove: [group-writable]' is refused", Unwrapped(output));
        Assert.Contains("  Examples:\n    remove: g-w\n    remove: go-w\n", output);
        Assert.DoesNotContain("Fields", output);
    }

    [Fact]
    public async Task A_nested_field_is_found_through_objects_lists_and_maps()
    {
        var (dkim, dkimOutput, _) = await Explain("dkim.dns.rfc2136.algorithm");
        var (hostKey, hostKeyOutput, _) = await Explain("inventory.hosts.host_key");

        Assert.Equal(0, dkim);
        Assert.StartsWith("dkim.dns.rfc2136.algorithm (string)\n", dkimOutput);
        Assert.Contains("Allowed: hmac-sha256, hmac-sha512, hmac-sha1", dkimOutput);
        Assert.Equal(0, hostKey);
        Assert.StartsWith("inventory.hosts.host_key (string, required)", hostKeyOutput);
        Assert.Contains("'reconciler host-key HOST[:PORT]' prints this line", Unwrapped(hostKeyOutput));
    }

    [Fact]
    public async Task A_field_of_several_forms_names_each()
    {
        var (_, maxSize, _) = await Explain("ldap_databases.max_size");
        var (_, password, _) = await Explain("mariadb.users.password");

        Assert.StartsWith("ldap_databases.max_size (integer or auto)\n", maxSize);
        Assert.StartsWith("mariadb.users.password (string or secret reference, required)\n", password);
        Assert.Contains("\n  secret (string, required)\n", password);
    }

    [Fact]
    public async Task A_sensitive_field_says_so()
    {
        var (_, output, _) = await Explain("files.content");

        Assert.StartsWith("files.content (string, sensitive: never shown)\n", output);
    }

    [Fact]
    public async Task An_unknown_kind_is_one_line_with_the_closest_kind_and_exit_1()
    {
        var (exit, output, errors) = await Explain("permisions");

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal("explain: no kind 'permisions'; did you mean 'permissions'? ('reconciler explain' lists the kinds)\n", errors);
    }

    [Fact]
    public async Task An_unknown_field_is_one_line_with_the_closest_field_and_exit_1()
    {
        var (exit, output, errors) = await Explain("permissions.remvoe");
        var (scalar, _, scalarErrors) = await Explain("permissions.remove.bits");

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal("explain: permissions has no field 'remvoe'; did you mean 'remove'? (its fields: path, recursive, remove, exclude)\n", errors);
        Assert.Equal(1, scalar);
        Assert.Equal("explain: permissions.remove has no fields, so no 'bits'\n", scalarErrors);
    }

    [Fact]
    public async Task A_long_or_malformed_name_is_cut_in_the_one_line_it_gets()
    {
        var (exit, _, errors) = await Explain(new string('x', 5000));
        var (dots, _, dotErrors) = await Explain("permissions..remove");

        Assert.Equal(1, exit);
        Assert.Equal($"explain: no kind '{new string('x', 64)}…' ('reconciler explain' lists the kinds)\n", errors);
        Assert.Equal(1, dots);
        Assert.Equal("explain: 'permissions..remove' is not KIND or KIND.FIELD (names joined by single dots)\n", dotErrors);
    }

    [Fact]
    public async Task Markdown_prints_the_kind_reference_docs_kinds_md_holds()
    {
        var (exit, output, _) = await Explain("--markdown");

        Assert.Equal(0, exit);
        Assert.Equal(KindsMarkdownView.Render(SpecReference.Of(ResourceKinds.Default)), output);
    }

    [Fact]
    public async Task The_committed_docs_kinds_md_is_what_the_reference_generates()
    {
        var committed = Path.Combine(AppContext.BaseDirectory, "docs", "kinds.md");
        var generated = KindsMarkdownView.Render(SpecReference.Of(ResourceKinds.Default));

        Assert.True(
            File.Exists(committed) && await File.ReadAllTextAsync(committed) == generated,
            $"docs/kinds.md differs from the kind reference the schemas generate; run: {KindsMarkdownView.RegenerateCommand} "
            + "(reconciler is dotnet src/Reconciler.Cli/bin/Release/net10.0/reconciler.dll after a build)");
    }

    [Fact]
    public void The_markdown_reference_shows_schema_text_as_text()
    {
        // '<base64>', 'db.*', 'RECONCILER_SECRET_<NAME>' and '|' in patterns must not become HTML, emphasis or cell ends;
        // the only links are the list of kinds' anchors.
        var live = Views.LiveMarkup.InMarkdown(KindsMarkdownView.Render(SpecReference.Of(ResourceKinds.Default)))
            .Where(found => !found.StartsWith("link to #", StringComparison.Ordinal))
            .ToList();

        Assert.True(live.Count == 0, string.Join("\n", live));
    }

    [Fact]
    public void The_markdown_reference_changes_when_a_kind_is_left_out()
    {
        // Guards the test above: it compares against the catalog, so a kind missing from it must show.
        var withoutMailGraphs = new KindCatalog(ResourceKinds.All.Where(k => !k.Sections.Contains("mail_graphs")));

        var markdown = KindsMarkdownView.Render(SpecReference.Of(withoutMailGraphs));

        Assert.DoesNotContain("## mail_graphs", markdown);
        Assert.Contains("## mail_graphs", KindsMarkdownView.Render(SpecReference.Of(ResourceKinds.Default)));
    }

    private static async Task<(int Exit, string Output, string Errors)> Explain(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await App.RunAsync(["explain", .. args], new Terminal(output, errors, false, false), null, default, _ => null, []);
        return (exit, output.ToString(), errors.ToString());
    }

    /// <summary>The text with its line breaks and indents as single spaces, to find a phrase wherever the wrap fell.</summary>
    private static string Unwrapped(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");

    private static void FitsEightyColumns(string output)
    {
        var wide = output.Split('\n').Where(line => line.Length > ExplainTextView.Width).ToList();
        Assert.True(wide.Count == 0, "lines wider than 80 columns:\n" + string.Join("\n", wide));
    }
}
