using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Reconciler.Specs.Templates;

/// <summary>
/// The tokens one render's <c>secret "NAME"</c> calls yield, and their replacement by the values after the template has
/// run. A token is a placeholder made of a random nonce and a counter: it carries nothing of the value (not its length,
/// not a character), so whatever template code did with it — and <see cref="TemplateSecretUse"/> lets it do nothing
/// but output it — no error, branch, size or timing could depend on the secret. Only the controller, substituting,
/// ever holds the value; a token the template could not have been given (a name it does not read literally) is refused.
/// </summary>
internal sealed class SecretPlaceholders(IReadOnlySet<string> namesRead)
{
    // Control characters and 128 random bits: template text cannot spell a token it was not given.
    private const char Start = '\u0001';
    private const char End = '\u0002';

    private readonly string _nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private readonly List<(string Name, string? Transform)> _issued = [];

    private string Prefix => $"{Start}rc-secret:{_nonce}:";

    /// <summary>The token for the secret <paramref name="name"/> in the form <paramref name="transform"/> (null: as it is).</summary>
    public string Issue(string name, string? transform)
    {
        if (!namesRead.Contains(name))
        {
            throw new InvalidOperationException($"secret '{name}' is not read literally by this template");
        }

        if (transform is not null && !SecretTransforms.IsKnown(transform))
        {
            throw new InvalidOperationException($"'{transform}' is not a form a secret can be written in");
        }

        var index = _issued.IndexOf((name, transform));
        if (index < 0)
        {
            index = _issued.Count;
            _issued.Add((name, transform));
        }

        return Prefix + index.ToString(CultureInfo.InvariantCulture) + End;
    }

    /// <summary>
    /// <paramref name="rendered"/> with every token replaced by its value in its form, and those values (for the redactor:
    /// a hash of a secret is as private as the secret); or why not. A token that was cut or altered is refused rather than
    /// written half-substituted to a host.
    /// </summary>
    public (string? Text, IReadOnlyList<string> Placed, string? Problem) Substitute(
        string rendered, Func<string, string?> valueOf, Func<string, string> whyUnusable, string placement)
    {
        if (_issued.Count == 0)
        {
            return (rendered, [], null);
        }

        var forms = new string?[_issued.Count];
        var prefix = Prefix;
        var text = new StringBuilder(rendered.Length);
        var at = 0;
        for (var found = rendered.IndexOf(prefix, StringComparison.Ordinal); found >= 0; found = rendered.IndexOf(prefix, at, StringComparison.Ordinal))
        {
            text.Append(rendered, at, found - at);
            var digits = found + prefix.Length;
            var end = rendered.IndexOf(End, digits);
            if (end < 0 || !int.TryParse(rendered.AsSpan(digits, end - digits), NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= _issued.Count)
            {
                return (null, [], "a secret's placeholder was altered before it was substituted");
            }

            var (name, transform) = _issued[index];
            if (forms[index] is null)
            {
                if (valueOf(name) is not { } value)
                {
                    return (null, [], whyUnusable(name));
                }

                forms[index] = SecretTransforms.Apply(transform, value, placement);
            }

            text.Append(forms[index]);
            at = end + 1;
        }

        text.Append(rendered, at, rendered.Length - at);
        var result = text.ToString();
        // The nonce is only ever inside a whole token; any remnant means a token was cut (and its pieces might be placed).
        return result.Contains(_nonce, StringComparison.Ordinal)
            ? (null, [], "a secret's placeholder was altered before it was substituted")
            : (result, forms.OfType<string>().ToList(), null);
    }
}
