using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using Reconciler.Core.Model;
using Reconciler.Core.Text;

namespace Reconciler.Core.Secrets;

/// <summary>
/// The last line of defence for sensitive values: views already mask them, but a script's error output, a template
/// or a future view could echo one. Every string written to the console, a file or an HTTP body passes through here.
/// A value is masked in every form it commonly takes on the way out (<see cref="FormsOf"/>), matched without regard
/// to case, so upper- and lower-cased copies and upper- or lower-case hex and percent-encodings are caught as well.
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
        var needles = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var secret in secrets.Where(s => s.Trim().Length >= MinSecretLength))
        {
            var trimmed = secret.TrimEnd('\n', '\r');
            var values = new List<string> { secret, trimmed };
            values.AddRange(trimmed.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length >= MinLineLength)
                .SelectMany(l => new[] { l, l.Trim() }));
            // Views show controls as visible escapes before the redactor sees their text, so a secret holding a
            // control (a CR of a CRLF file, an ESC) reaches it escaped: the escaped value is one more value to mask.
            values.AddRange(values.SelectMany(VisibleText.FormsOf).ToList());
            foreach (var form in values.Distinct(StringComparer.Ordinal).SelectMany(FormsOf))
            {
                needles.Add(form);
            }
        }

        // Longest first, so a whole secret is masked once rather than line by line into fragments.
        _needles = needles.Where(n => n.Length >= MinSecretLength).OrderByDescending(n => n.Length).ThenBy(n => n, StringComparer.Ordinal).ToArray();
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
            if (text.Contains(needle, StringComparison.OrdinalIgnoreCase)) text = text.Replace(needle, Mask, StringComparison.OrdinalIgnoreCase);
        }

        return text;
    }

    /// <summary>Whether <paramref name="text"/> holds any sensitive value, in any of the forms masked.</summary>
    public bool Reveals(string text) => _needles.Any(n => text.Contains(n, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The forms a value takes on the way out: as is; JSON-, YAML-, HTML-, Markdown-cell-, workflow-command- and
    /// shell-escaped; percent-encoded (as URLs
    /// and forms carry it, and every byte encoded); hex; and base64 and base64url — whole, and as it appears inside a
    /// longer encoded text at each of the three byte alignments (only the characters that depend on the value alone).
    /// </summary>
    public static IEnumerable<string> FormsOf(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        yield return value;
        foreach (var json in new[] { JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(value), JavaScriptEncoder.Default.Encode(value) })
        {
            yield return json;
            yield return json.Replace("/", "\\/", StringComparison.Ordinal);
        }

        yield return YamlDoubleQuoted(value);
        // A Markdown table cell escapes its pipes; a workflow command (::error::) percent-encodes %, CR and LF; a
        // console line starting with "::" has its first colon escaped so the runner does not read it as a command.
        yield return value.Replace("|", "\\|", StringComparison.Ordinal);
        var commandData = value.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);
        yield return commandData;
        yield return commandData.Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);
        if (value.StartsWith(':')) yield return "\\x3a" + value[1..];
        yield return value.Replace("'", "''", StringComparison.Ordinal);
        yield return value.Replace("'", "'\\''", StringComparison.Ordinal);
        yield return WebUtility.HtmlEncode(value);
        yield return Uri.EscapeDataString(value);
        yield return WebUtility.UrlEncode(value);
        yield return string.Concat(bytes.Select(b => $"%{b:X2}"));
        yield return Convert.ToHexString(bytes);
        foreach (var base64 in Base64Forms(bytes))
        {
            yield return base64;
            yield return base64.Replace('+', '-').Replace('/', '_');
        }
    }

    private static IEnumerable<string> Base64Forms(byte[] bytes)
    {
        var whole = Convert.ToBase64String(bytes);
        yield return whole;
        yield return whole.TrimEnd('=');
        for (var offset = 0; offset < 3; offset++)
        {
            // Behind `offset` other bytes, the first characters also carry those bytes' bits, and the last partial
            // group the next bytes' bits: what remains depends on the value alone, wherever it sits in the stream.
            var encoded = Convert.ToBase64String(new byte[offset].Concat(bytes).ToArray());
            var skip = offset switch { 0 => 0, 1 => 2, _ => 3 };
            var end = (offset + bytes.Length) / 3 * 4;
            if (end > skip) yield return encoded[skip..end];
        }
    }

    private static string YamlDoubleQuoted(string value)
    {
        var text = new StringBuilder();
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\x{(int)c:X2}",
                _ => c.ToString(),
            });
        }

        return text.ToString();
    }
}
