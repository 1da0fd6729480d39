using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using Reconciler.Core.Model;

namespace Reconciler.Core.Secrets;

/// <summary>
/// The last line of defence for sensitive values: views already mask them, but a script's error output, a template
/// or a future view could echo one. Every string written to the console, a file or an HTTP body passes through here.
/// </summary>
public sealed class SecretRedactor
{
    public const string Mask = "(sensitive value)";

    /// <summary>Shorter values would mask ordinary text ("1", "yes"); such a secret is no secret anyway.</summary>
    public const int MinSecretLength = 4;

    /// <summary>A line of a multi-line secret is masked on its own when this long, since errors often echo one line.</summary>
    public const int MinLineLength = 8;

    public static readonly SecretRedactor None = new([]);

    private readonly string[] _needles;

    public SecretRedactor(IEnumerable<string> secrets)
    {
        var needles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var secret in secrets.Where(s => s.Trim().Length >= MinSecretLength))
        {
            // The forms a value takes on the way out: as is, JSON- and HTML-escaped, and base64 as apply scripts carry it.
            var trimmed = secret.TrimEnd('\n', '\r');
            foreach (var form in new[] { secret, trimmed })
            {
                AddEncoded(needles, form);
            }

            needles.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)));
            foreach (var line in trimmed.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length >= MinLineLength))
            {
                AddEncoded(needles, line);
                AddEncoded(needles, line.Trim());
            }
        }

        // Longest first, so a whole secret is masked once rather than line by line into fragments.
        _needles = needles.Where(n => n.Length > 0).OrderByDescending(n => n.Length).ThenBy(n => n, StringComparer.Ordinal).ToArray();
    }

    public bool IsEmpty => _needles.Length == 0;

    /// <summary>The sensitive values of a desired state: the content (literal or rendered) of every file marked sensitive.</summary>
    public static IEnumerable<string> SensitiveValuesOf(DesiredState state) =>
        state.Hosts.SelectMany(h => h.Resources).OfType<ITemplatedResource>()
            .Where(f => f.Sensitive && f.Content is not null)
            .Select(f => f.Content!);

    public string Redact(string text)
    {
        if (_needles.Length == 0 || text.Length == 0) return text;
        foreach (var needle in _needles)
        {
            if (text.Contains(needle, StringComparison.Ordinal)) text = text.Replace(needle, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>Whether <paramref name="text"/> holds any sensitive value, in any of the forms masked.</summary>
    public bool Reveals(string text) => _needles.Any(n => text.Contains(n, StringComparison.Ordinal));

    private static void AddEncoded(HashSet<string> needles, string value)
    {
        needles.Add(value);
        needles.Add(JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(value));
        needles.Add(JavaScriptEncoder.Default.Encode(value));
        needles.Add(WebUtility.HtmlEncode(value));
    }
}
