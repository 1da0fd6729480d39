using System.Diagnostics;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Secrets;

namespace Reconciler.Specs.Tests;

/// <summary>
/// A template from a pull request runs in a sandbox: no evaluation of text, no file access, literal secret names only
/// (checked on the parsed template), and limits on recursion, loops, steps, time and output — each a clear error at the
/// template's line, and none ever leaks a secret.
/// </summary>
public sealed class TemplateSandboxTests : IDisposable
{
    private const string SecretValue = "S3CRET-ab12cd34-never-shown";

    private readonly SpecDirectory _specs = new SpecDirectory().WithDefaultInventory();

    public void Dispose() => _specs.Dispose();

    private SpecLoadResult Load(string template)
    {
        _specs.Write("r.yaml", "kind: resources\ntarget: { host: web2 }\nfiles:\n  - path: /etc/out\n    template: t.sbn\n")
            .Write("t.sbn", template);
        var secrets = new SecretStore(new Dictionary<string, string> { ["db_password"] = SecretValue });
        var clock = Stopwatch.StartNew();
        var result = new SpecLoader(secrets).Load(_specs.Root);
        // Far above the run's 15 s template budget, so a loaded runner cannot fail it, yet an unbounded render still does.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"rendering took {clock.Elapsed}");
        return result;
    }

    private string Render(string template)
    {
        var result = Load(template);
        var text = string.Join("\n", result.Diagnostics.Select(d => d.ToString()));
        Assert.DoesNotContain(SecretValue, text);
        var reversed = new string(SecretValue.Reverse().ToArray());
        Assert.DoesNotContain(reversed, text);
        return text;
    }

    private string At(int line, int column) => $"{_specs.Path("t.sbn")}:{line}:{column}";

    [Theory]
    [InlineData("{{ object.eval \"secret \\\"db_password\\\"\" }}", 1, 4, "'object.eval' is not allowed in templates: text is never evaluated as a template, so secret names stay literal")]
    [InlineData("{{ object.eval_template \"{{ secret 'db_password' }}\" }}", 1, 4, "'object.eval_template' is not allowed in templates: text is never evaluated as a template, so secret names stay literal")]
    [InlineData("x\n{{ o = object }}{{ o.keys }}", 2, 8, "'object' may only be used as object.FUNCTION (e.g. object.keys): an alias, import or index could reach object.eval")]
    [InlineData("{{ object[\"ev\" + \"al\"] \"1\" }}", 1, 4, "'object' may only be used as object.FUNCTION (e.g. object.keys): an alias, import or index could reach object.eval")]
    [InlineData("{{ include \"/etc/passwd\" }}", 1, 4, "'include' is not allowed in templates: a template reads no other file (put shared text in a variable)")]
    [InlineData("{{ include_join [\"/etc/passwd\"] \"\" }}", 1, 4, "'include_join' is not allowed in templates: a template reads no other file (put shared text in a variable)")]
    [InlineData("{{ f = @include }}", 1, 9, "'include' is not allowed in templates: a template reads no other file (put shared text in a variable)")]
    [InlineData("{{ this[\"object\"] }}", 1, 4, "'this' is not allowed in templates: indexing it by a computed name could reach any function")]
    public void Dynamic_evaluation_file_access_and_aliases_are_refused_on_the_parsed_template(string template, int line, int column, string message)
    {
        Assert.Contains($"{At(line, column)}: error RC3016: {message}", Render(template));
    }

    [Theory]
    [InlineData("{{ import object }}{{ eval \"1\" }}")]
    [InlineData("{{ n = \"db_password\" }}{{ secret n }}")]
    [InlineData("{{ \"db_password\" | secret }}")]
    [InlineData("{{ s = @secret }}{{ s \"db_password\" }}")]
    [InlineData("{{ secret (\"db_\" + \"password\") }}")]
    public void A_secret_or_evaluator_reached_indirectly_is_an_error_and_nothing_renders(string template)
    {
        var text = Render(template);

        Assert.Matches("error RC30(08|16): ", text);
    }

    [Fact]
    public void A_recursive_function_stops_at_the_depth_limit()
    {
        var text = Render("{{ func f(n)\n  ret f(n + 1)\nend }}{{ f 0 }}");

        Assert.Contains($"{At(2, 7)}: error RC3008: Exceeding number of recursive depth limit `32`", text);
    }

    [Fact]
    public void Branching_recursion_stops_at_the_step_limit_long_before_it_would_end()
    {
        var text = Render("{{ func f(n)\n  if n > 0\n    f(n - 1)\n    f(n - 1)\n  end\nend }}{{ f 30 }}");

        Assert.Matches("t\\.sbn:[0-9]+:[0-9]+: error RC3016: (the template evaluated more than 2000000 steps|rendering took longer than 2 s)", text);
    }

    [Fact]
    public void Nested_loops_stop_at_a_loop_limit()
    {
        var text = Render("{{ for a in 1..999 }}{{ for b in 1..999 }}{{ end }}{{ end }}");

        Assert.Matches("t\\.sbn:1:[0-9]+: error RC30(08|16): (Exceeding number of iteration limit `1000` for loop statement|loops ran more than 100000 iterations in total)", text);
    }

    [Fact]
    public void A_huge_loop_stops_at_the_per_loop_limit()
    {
        var text = Render("{{ for i in 1..100000000 }}x{{ end }}");

        Assert.Contains($"{At(1, 14)}: error RC3008: Range expression exceeds LoopLimit `1000`.", text);
    }

    [Theory]
    [InlineData("{{ \"x\" | string.pad_left 2000000000 }}", 26)]
    [InlineData("{{ \"x\" | string.pad_right 2000000000 }}", 27)]
    public void An_output_bomb_in_one_call_is_refused_before_it_allocates(string template, int column)
    {
        Assert.Contains($"{At(1, column)}: error RC3008: Padding width `2000000000` exceeds the configured LimitToString `1048576`.", Render(template));
    }

    [Fact]
    public void An_output_bomb_by_doubling_stops_at_the_output_or_string_limit()
    {
        var text = Render("{{ s = \"xxxxxxxxxxxxxxxx\" }}{{ for i in 1..40 }}{{ s = s + s }}{{ end }}{{ s }}");

        Assert.Matches("error RC30(08|16): ", text);
    }

    [Fact]
    public void Ordinary_templates_still_render()
    {
        var result = Load("{{ host.name | string.upcase }} {{ object.keys {a: 1} | array.join \",\" }} {{ \"x\" | string.pad_left 3 }} {{ secret \"db_password\" }}\n");

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var file = Assert.Single(result.State!.Hosts.SelectMany(h => h.Resources).OfType<FileResource>());
        Assert.Equal($"WEB2 a   x {SecretValue}\n", file.Content);
    }
}
