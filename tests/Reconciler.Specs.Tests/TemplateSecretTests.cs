using System.Text;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Resources.MariaDb;
using Reconciler.Core.Model;
using Reconciler.Core.Secrets;
using Reconciler.Specs.Templates;
using Scriban;

namespace Reconciler.Specs.Tests;

/// <summary>
/// A secret is opaque to template code (the class: any use but output is refused, whatever function or operator it
/// goes to). These are the attacks that made a secret leave through template errors — transforming it and failing, or
/// comparing it and failing on a match so the failing line spells it — and the honest uses that must keep working.
/// </summary>
public sealed class TemplateSecretTests : IDisposable
{
    private const string SecretValue = "23fac2adc062b277ks";

    private readonly SpecDirectory _specs = new SpecDirectory().WithDefaultInventory();

    public void Dispose() => _specs.Dispose();

    private static SecretStore Secrets(string value = SecretValue) => new(new Dictionary<string, string> { ["db_password"] = value });

    private SpecLoadResult Load(string template, SecretStore? secrets = null)
    {
        _specs.Write("r.yaml", "kind: resources\ntarget: { host: web2 }\nfiles:\n  - path: /etc/out\n    template: t.sbn\n")
            .Write("t.sbn", template);
        return new SpecLoader(secrets ?? Secrets()).Load(_specs.Root);
    }

    private string At(int line, int column) => $"{_specs.Path("t.sbn")}:{line}:{column}";

    /// <summary>Every form the value could take in a message: as is, reversed, its characters spaced, base64, its halves.</summary>
    private static IEnumerable<string> Forms(string value)
    {
        yield return value;
        yield return new string(value.Reverse().ToArray());
        yield return string.Join(",", value.ToCharArray());
        yield return Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
        yield return value[..(value.Length / 2)];
        yield return value[(value.Length / 2)..];
    }

    private static void AssertNoForm(string text)
    {
        foreach (var form in Forms(SecretValue))
        {
            Assert.DoesNotContain(form, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("{{ secret \"db_password\" | string.upcase | timespan.parse }}", 1, 4, "piped into a function")]
    [InlineData("x\n{{ (secret \"db_password\" | string.split \"\" | array.reverse | array.join \"\") | date.parse }}", 2, 5, "piped into a function")]
    [InlineData("{{ date.parse (secret \"db_password\") }}", 1, 16, "parentheses")]
    [InlineData("{{ s = secret \"db_password\" }}{{ s | string.size }}", 1, 8, "assigned to a variable")]
    [InlineData("{{ secret \"db_password\" | string.size }}", 1, 4, "piped into a function")]
    [InlineData("{{ if (secret \"db_password\" | string.slice 0 1) == \"2\" }}{{ x.y }}{{ end }}", 1, 8, "piped into a function")]
    [InlineData("{{ if secret \"db_password\" }}yes{{ end }}", 1, 7, "a condition")]
    [InlineData("{{ secret \"db_password\" == \"x\" ? 1 : 2 }}", 1, 4, "literal name")]
    [InlineData("{{ (secret \"db_password\") == \"x\" }}", 1, 5, "parentheses")]
    [InlineData("{{ x = secret \"db_password\" ; x == \"y\" }}", 1, 8, "assigned to a variable")]
    [InlineData("{{ for c in secret \"db_password\" }}{{ c }}{{ end }}", 1, 13, "a loop's collection or condition")]
    [InlineData("{{ [secret \"db_password\"] | array.size }}", 1, 5, "a list or object")]
    [InlineData("{{ for c in secret }}{{ c }}{{ end }}", 1, 13, "literal name")]
    [InlineData("{{ secret \"db_password\" + \"\" }}", 1, 4, "")]
    public void Any_use_of_a_secret_but_output_is_refused_at_its_line_and_names_no_form_of_it(string template, int line, int column, string where)
    {
        var result = Load(template);

        var text = string.Join("\n", result.Diagnostics);
        AssertNoForm(text);
        Assert.Null(result.State);
        Assert.Contains($"{At(line, column)}: error RC30", text);
        Assert.Contains(where, text);
    }

    [Theory]
    [InlineData("{{ capture c }}{{ secret \"db_password\" }}{{ end }}{{ c | string.size }}", "a capture")]
    [InlineData("{{ func f }}{{ secret \"db_password\" }}{{ end }}{{ f | string.size }}", "a function")]
    [InlineData("{{ f = do; secret \"db_password\"; end }}", "a function")]
    [InlineData("{{ wrap array.each [1] }}{{ secret \"db_password\" }}{{ end }}", "a wrap")]
    public void A_secret_written_where_template_code_reads_the_output_is_refused(string template, string where)
    {
        var text = string.Join("\n", Load(template).Diagnostics);

        Assert.Contains($"error RC3016: {TemplateSecretUse.Usage}; not inside {where}, where the text written would reach template code", text);
        AssertNoForm(text);
    }

    [Theory]
    [InlineData("{{ secret = \"x\" }}")]
    [InlineData("{{ func secret }}x{{ end }}")]
    [InlineData("{{ func f(secret) }}{{ ret 1 }}{{ end }}")]
    [InlineData("{{ for secret in [1] }}{{ end }}")]
    [InlineData("{{ capture secret }}x{{ end }}")]
    public void The_name_secret_cannot_be_redefined(string template)
    {
        Assert.Contains("error RC3016: 'secret' is reserved for reading secrets", string.Join("\n", Load(template).Diagnostics));
    }

    [Theory]
    [InlineData("{{ secret \"db_password\" \"rot13\" }}")]
    [InlineData("{{ t = \"base64\" }}{{ secret \"db_password\" t }}")]
    [InlineData("{{ secret \"db_password\" \"base64\" \"x\" }}")]
    public void A_transform_is_one_of_the_closed_set_written_literally(string template)
    {
        Assert.Contains("error RC3008: secret's second argument names the form it is written in, literally: one of base64, ssha512",
            string.Join("\n", Load(template).Diagnostics));
    }

    [Fact]
    public void Eighteen_templates_each_testing_one_character_fail_at_the_same_lines_whatever_the_secret()
    {
        // The error-line oracle: template i fails at a line that depends on character i of the secret if it runs.
        // Refused before rendering, each error's place and text are the same for two different secrets.
        string Run(string secret)
        {
            using var specs = new SpecDirectory().WithDefaultInventory();
            var yaml = new StringBuilder("kind: resources\ntarget: { host: web2 }\nfiles:\n");
            for (var i = 0; i < 18; i++)
            {
                var template = new StringBuilder();
                foreach (var candidate in "0123456789abcdefks")
                {
                    template.Append($"{{{{ if (secret \"db_password\" | string.slice {i} 1) == \"{candidate}\" }}}}{{{{ fail_{candidate} }}}}{{{{ end }}}}\n");
                }

                specs.Write($"t{i}.sbn", template.ToString());
                yaml.Append($"  - path: /etc/oracle{i}\n    template: t{i}.sbn\n");
            }

            specs.Write("r.yaml", yaml.ToString());
            var result = new SpecLoader(Secrets(secret)).Load(specs.Root);
            Assert.Null(result.State);
            return string.Join("\n", result.Diagnostics).Replace(specs.Root, "ROOT", StringComparison.Ordinal);
        }

        var first = Run(SecretValue);
        var second = Run("ks772b260cda2caf32");

        Assert.Equal(first, second);
        Assert.Equal(18 * 18, first.Split('\n').Count(l => l.Contains("error RC3016: a secret can only be written to the output", StringComparison.Ordinal)));
        Assert.DoesNotContain("fail_", first, StringComparison.Ordinal);
        AssertNoForm(first);
    }

    [Fact]
    public void A_template_that_breaks_a_rule_is_not_rendered_at_all()
    {
        // The runtime error on line 2 would be reported if the template ran after failing the secret-name check.
        var text = string.Join("\n", Load("{{ secret (\"db_\" + \"password\") }}\n{{ \"x\" | string.pad_left 2000000000 }}\n").Diagnostics);

        Assert.Contains($"{At(1, 4)}: error RC3008: secret takes one literal name", text);
        Assert.DoesNotContain("Padding width", text);
    }

    [Fact]
    public void A_secret_is_placed_as_is_in_base64_and_as_a_dovecot_hash_that_is_stable_from_run_to_run()
    {
        const string template = "plain={{ secret \"db_password\" }}\nb64={{ secret \"db_password\" \"base64\" }}\n{{ if host.name == \"web2\" }}hash={{ secret \"db_password\" \"ssha512\" }}{{ end }}\n";

        var first = Load(template);
        var second = Load(template);

        Assert.False(first.HasErrors, string.Join("\n", first.Diagnostics));
        var file = Assert.Single(first.State!.Hosts.SelectMany(h => h.Resources).OfType<FileResource>());
        var lines = file.Content!.Split('\n');
        Assert.Equal("plain=" + SecretValue, lines[0]);
        Assert.Equal("b64=" + Convert.ToBase64String(Encoding.UTF8.GetBytes(SecretValue)), lines[1]);
        Assert.StartsWith("hash={SSHA512}", lines[2], StringComparison.Ordinal);
        Assert.True(PasswordHashes.IsSsha512(lines[2]["hash=".Length..], SecretValue));
        Assert.True(file.Sensitive);
        Assert.Equal(file.Content, second.State!.Hosts.SelectMany(h => h.Resources).OfType<FileResource>().Single().Content);
        // Every form placed is masked by the redactor too: a hash of a secret is as private as the secret.
        Assert.Contains(lines[2]["hash=".Length..], first.Secrets);
    }

    [Fact]
    public void A_token_that_reaches_a_function_carries_nothing_of_the_value()
    {
        // The runtime channel, with the syntax check bypassed: what template code measures of two different secrets is
        // the same, and a function failing on what it was given names no form of the value — it was given a placeholder.
        var host = new HostSpec("web2", "10.0.0.12", 22, "root", "/keys/id", "ssh-ed25519 KEY", [], new Dictionary<string, object?>());
        (string? Content, TemplateRenderError? Error) Render(string text, string value)
        {
            var compiled = new CompiledTemplate("t.sbn", Template.Parse(text, "t.sbn"), [], [new TemplateVariableRead("db_password", new SourceLocation("t.sbn", 1, 4))]);
            var (content, _, error) = TemplateRenderer.Render(compiled, host, Secrets(value), new TemplateRunBudget(TemplateLimits.Default, TimeProvider.System));
            return (content, error);
        }

        const string measure = "{{ secret \"db_password\" | string.size }}|{{ secret \"db_password\" | string.slice 0 1 | string.size }}|{{ secret \"db_password\" | string.contains \"z\" }}\n";
        Assert.Equal(Render(measure, SecretValue).Content, Render(measure, new string('z', 40)).Content);

        var (failed, error) = Render("{{ secret \"db_password\" | string.upcase | string.append \"!\" | timespan.parse }}", SecretValue);
        Assert.Null(failed);
        Assert.Contains("TimeSpan", error!.Message, StringComparison.Ordinal); // the function did fail on what it was given
        AssertNoForm(error.Message);
    }

    [Fact]
    public void A_placeholder_cut_by_template_code_is_refused_rather_than_written_half_substituted()
    {
        var placeholders = new SecretPlaceholders(new HashSet<string> { "db_password" });
        var token = placeholders.Issue("db_password", null);

        var (text, _, problem) = placeholders.Substitute("a" + token[..^3] + "b", _ => SecretValue, SecretStore.NotSetMessage, "web2\nt.sbn");

        Assert.Null(text);
        Assert.Equal("a secret's placeholder was altered before it was substituted", problem);
        Assert.DoesNotContain(SecretValue, token, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => placeholders.Issue("other", null));
    }
}
