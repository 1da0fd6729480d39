using Reconciler.Core.Secrets;

namespace Reconciler.Specs.Tests;

/// <summary>
/// Hostile review of issue 15, item 1 (attack; expected to FAIL until fixed). Template code only ever sees a token of
/// fixed length, but the controller checks the rendered text's size again after substituting the value
/// (TemplateRenderer: "the rendered text with its secrets is longer than the limit"). A template that pads its output to
/// just under the limit therefore fails or not depending on the secret's length: a few templates, each padded by a
/// different amount, print the length of the secret in which of them fail (in the fork job's validate, too, if
/// secrets are there; in the plan job's comment otherwise).
/// </summary>
public sealed class TemplateSecretLengthAttackTests : IDisposable
{
    private const long Limit = 1024 * 1024; // SpecTextFile.MaxBytes

    private readonly SpecDirectory _specs = new SpecDirectory().WithDefaultInventory();

    public void Dispose() => _specs.Dispose();

    /// <summary>Whether a template that pads to <paramref name="padding"/> characters, then places the secret, loads.</summary>
    private bool Renders(string secret, long padding)
    {
        _specs.Write("r.yaml", "kind: resources\ntarget: { host: web2 }\nfiles:\n  - path: /etc/out\n    template: t.sbn\n")
            .Write("t.sbn", $"{{{{ \"x\" | string.pad_left {padding} }}}}{{{{ secret \"db_password\" }}}}");
        var secrets = new SecretStore(new Dictionary<string, string> { ["db_password"] = secret });
        return new SpecLoader(secrets).Load(_specs.Root).State is not null;
    }

    [Fact]
    public void Whether_a_template_renders_does_not_depend_on_the_length_of_a_secret_it_places()
    {
        // A 64-character API token (a hex SHA-256, say): longer than the ~46-character token template code sees, so the
        // check after substitution is the one that decides. (Shorter secrets leak the same way in the base64 form.)
        var secret = new string('a', 32) + "0123456789abcdef0123456789abcdef";
        // Padding so that padding + 64 is exactly the limit, and one more.
        var fits = Renders(secret, Limit - 64);
        var oneOver = Renders(secret, Limit - 63);

        // As it stands: fits == true, oneOver == false — the boundary sits exactly at the secret's length.
        Assert.True(fits || oneOver, "an honest-size render failed for another reason");
        Assert.Equal(fits, oneOver);
    }
}
