using System.Text;
using Reconciler.Core.Secrets;

namespace Reconciler.Specs.Tests;

/// <summary>
/// Hostile review of issue 15, item 1. Template code only ever sees a token of fixed length, but the controller checked
/// the rendered text's size again after substituting the value ("the rendered text with its secrets is longer than the
/// limit"). A template that pads its output to just under the limit therefore failed or not depending on the secret's
/// length: a few templates, each padded by a different amount, printed the length of the secret in which of them failed.
/// Fixed as the class "nothing a template observes or causes depends on a secret": each placed secret counts
/// <see cref="SecretStore.MaxPlacedCharacters"/> against the limit during the render, whatever its value and form, and no
/// value may be longer than any form fits (<see cref="SecretStore.MaxValueBytes"/>, refused at load naming the secret).
/// </summary>
public sealed class TemplateSecretLengthAttackTests : IDisposable
{
    private const long Limit = 1024 * 1024; // SpecTextFile.MaxBytes

    private readonly SpecDirectory _specs = new SpecDirectory().WithDefaultInventory();

    public void Dispose() => _specs.Dispose();

    /// <summary>
    /// Whether a template that pads to <paramref name="padding"/> characters, then places the secret (in
    /// <paramref name="form"/>, "" for as it is), loads; and the diagnostics.
    /// </summary>
    private (bool Loaded, string Diagnostics) Renders(string secret, long padding, string form = "")
    {
        var call = form.Length == 0 ? "secret \"db_password\"" : $"secret \"db_password\" \"{form}\"";
        _specs.Write("r.yaml", "kind: resources\ntarget: { host: web2 }\nfiles:\n  - path: /etc/out\n    template: t.sbn\n")
            .Write("t.sbn", $"{{{{ \"x\" | string.pad_left {padding} }}}}{{{{ {call} }}}}");
        var secrets = new SecretStore(new Dictionary<string, string> { ["db_password"] = secret });
        var result = new SpecLoader(secrets).Load(_specs.Root);
        return (result.State is not null, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void Whether_a_template_renders_does_not_depend_on_the_length_of_a_secret_it_places()
    {
        // A 64-character API token (a hex SHA-256, say): longer than the ~46-character token template code sees, so the
        // check after substitution was the one that decided. (Shorter secrets leaked the same way in the base64 form.)
        var secret = new string('a', 32) + "0123456789abcdef0123456789abcdef";
        // Padding so that padding + 64 is exactly the limit, and one more: both over, since the secret counts 64 KiB.
        var fits = Renders(secret, Limit - 64).Loaded;
        var oneOver = Renders(secret, Limit - 63).Loaded;
        Assert.Equal(fits, oneOver);

        // The same pair at the new boundary: padding + the fixed cost is exactly the limit, and one more.
        fits = Renders(secret, Limit - SecretStore.MaxPlacedCharacters).Loaded;
        oneOver = Renders(secret, Limit - SecretStore.MaxPlacedCharacters + 1).Loaded;
        Assert.True(fits || oneOver, "an honest-size render failed for another reason");
        Assert.NotEqual(fits, oneOver); // the boundary is the fixed cost, exactly
    }

    public static TheoryData<string> Forms() => ["", "base64", "ssha512"];

    [Theory]
    [MemberData(nameof(Forms))]
    public void At_the_boundary_every_length_of_secret_in_every_form_gives_the_same_answer(string form)
    {
        // One character, a token, and the longest a secret may be — ASCII and in three-byte characters (whose base64 is
        // the longest form there is).
        string[] secrets = ["s", new string('a', 64), new string('a', SecretStore.MaxValueBytes), new string('€', SecretStore.MaxValueBytes / 3)];
        foreach (var padding in new[] { Limit - SecretStore.MaxPlacedCharacters, Limit - SecretStore.MaxPlacedCharacters + 1 })
        {
            var outcomes = secrets.Select(s => Renders(s, padding, form)).ToList();
            Assert.All(outcomes, o => Assert.Equal(outcomes[0], o));
        }
    }

    [Fact]
    public void Over_the_limit_with_a_secret_placed_the_error_names_the_fixed_cost_and_no_value()
    {
        var (loaded, diagnostics) = Renders("hunter2-secret", Limit - SecretStore.MaxPlacedCharacters + 1);

        Assert.False(loaded);
        Assert.Contains($"error RC3016: the rendered text is longer than the limit of {Limit} characters, counting each secret placed as {SecretStore.MaxPlacedCharacters} characters whatever its value", diagnostics);
        Assert.DoesNotContain("hunter2", diagnostics);
    }

    [Fact]
    public void So_many_placements_that_their_fixed_cost_alone_passes_the_limit_are_refused_at_the_call()
    {
        // 17 placements of 64 KiB are more than 1 MiB even with no other text.
        _specs.Write("r.yaml", "kind: resources\ntarget: { host: web2 }\nfiles:\n  - path: /etc/out\n    template: t.sbn\n")
            .Write("t.sbn", "{{ for i in 1..17 }}{{ secret \"db_password\" }}{{ end }}");
        var result = new SpecLoader(new SecretStore(new Dictionary<string, string> { ["db_password"] = "s" })).Load(_specs.Root);

        Assert.Null(result.State);
        Assert.Contains("t.sbn:1:", string.Join("\n", result.Diagnostics));
        Assert.Contains("counting each secret placed as", string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void Every_form_of_the_longest_secret_fits_its_fixed_cost()
    {
        // The invariant that makes the check after substitution unable to fail on a value: the worst case of each form.
        foreach (var value in new[] { new string('a', SecretStore.MaxValueBytes), new string('€', SecretStore.MaxValueBytes / 3), string.Concat(Enumerable.Repeat("\U0001F511", SecretStore.MaxValueBytes / 4)) })
        {
            Assert.True(Encoding.UTF8.GetByteCount(value) <= SecretStore.MaxValueBytes);
            foreach (var form in new string?[] { null, "base64", "ssha512" })
            {
                Assert.True(Templates.SecretTransforms.Apply(form, value, "web2\nt.sbn").Length <= SecretStore.MaxPlacedCharacters, form ?? "plain");
            }
        }
    }

    [Fact]
    public void A_secret_longer_than_a_secret_may_be_is_refused_at_load_naming_it_not_its_value()
    {
        var value = "TOOLONG" + new string('z', SecretStore.MaxValueBytes);

        var (loaded, diagnostics) = Renders(value, 10);

        Assert.False(loaded);
        Assert.Contains($"error RC3013: secret 'db_password' is longer than {SecretStore.MaxValueBytes} bytes, the most a secret may hold", diagnostics);
        Assert.DoesNotContain("TOOLONG", diagnostics);
        Assert.DoesNotContain('\n', diagnostics);
    }

    [Fact]
    public void A_secret_too_long_is_refused_where_a_spec_field_references_it_too()
    {
        var store = new SecretStore(new Dictionary<string, string> { ["big"] = new string('z', SecretStore.MaxValueBytes + 1), ["ok"] = new string('z', SecretStore.MaxValueBytes) });

        Assert.False(store.TryGet("big", out _));
        Assert.StartsWith("secret 'big' is longer than", store.UnusableMessage("big"));
        Assert.True(store.TryGet("ok", out _));
        Assert.StartsWith("secret 'nope' is not set", store.UnusableMessage("nope"));
    }
}
