using System.Text;
using System.Text.Json;
using Reconciler.Core.Secrets;

namespace Reconciler.Core.Tests.Secrets;

/// <summary>
/// A secret leaves in disguise: a hostile template or a host's error output may encode it before printing. Each
/// encoding is produced here independently of the redactor (by .NET's own encoders, or by hand), embedded in other text.
/// </summary>
public sealed class SecretRedactorEncodingTests
{
    private const string Secret = "S3cr3t/pa+ss word?&=\"q'\\x";

    private static readonly byte[] Bytes = Encoding.UTF8.GetBytes(Secret);

    private static readonly SecretRedactor Redactor = new([Secret]);

    public static TheoryData<string, string> Encodings => new()
    {
        { "as is", Secret },
        { "upper-cased", Secret.ToUpperInvariant() },
        { "lower-cased", Secret.ToLowerInvariant() },
        { "URL-encoded (EscapeDataString, upper-case hex)", Uri.EscapeDataString(Secret) },
        { "URL-encoded, lower-case hex", LowerHexEscapes(Uri.EscapeDataString(Secret)) },
        { "form-encoded (space as +)", System.Net.WebUtility.UrlEncode(Secret) },
        { "every byte percent-encoded, lower-case", string.Concat(Bytes.Select(b => $"%{b:x2}")) },
        { "hex, lower-case", Convert.ToHexStringLower(Bytes) },
        { "hex, upper-case", Convert.ToHexString(Bytes) },
        { "base64", Convert.ToBase64String(Bytes) },
        { "base64url", Convert.ToBase64String(Bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_') },
        { "JSON string (System.Text.Json)", JsonSerializer.Serialize(Secret) },
        { "JSON with escaped slashes", JsonSerializer.Serialize(Secret).Replace("/", "\\/") },
        { "YAML double-quoted", "\"S3cr3t/pa+ss word?&=\\\"q'\\\\x\"" },
        { "YAML single-quoted", "'S3cr3t/pa+ss word?&=\"q''\\x'" },
        { "shell single-quoted", "'S3cr3t/pa+ss word?&=\"q'\\''\\x'" },
        { "HTML-escaped", System.Net.WebUtility.HtmlEncode(Secret) },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Every_encoding_of_a_secret_is_masked_inside_other_text(string encoding, string encoded)
    {
        var text = $"before {encoded} after";

        var redacted = Redactor.Redact(text);

        // Quoted forms keep their quotes; everything between them is gone.
        var inner = encoded.Trim('"', '\'');
        Assert.True(redacted.Replace("\"", "").Replace("'", "") == $"before {SecretRedactor.Mask} after", $"{encoding}: {redacted}");
        Assert.DoesNotContain(inner, redacted, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Base64_of_a_secret_inside_a_longer_stream_is_masked_at_every_byte_alignment(int offset)
    {
        // The secret sits after `offset` (+3) other bytes and before others, as in a base64-encoded file or a pipe.
        var stream = Encoding.UTF8.GetBytes(new string('p', 3 + offset)).Concat(Bytes).Concat("tail bytes"u8.ToArray()).ToArray();
        var base64 = Convert.ToBase64String(stream);
        var base64Url = base64.Replace('+', '-').Replace('/', '_');

        Assert.Contains(SecretRedactor.Mask, Redactor.Redact(base64));
        Assert.Contains(SecretRedactor.Mask, Redactor.Redact(base64Url));
        // What is left around the mask cannot be decoded back to the secret's middle.
        Assert.DoesNotContain(Convert.ToBase64String(Bytes[6..15]), Redactor.Redact(base64));
    }

    [Fact]
    public void Ordinary_text_and_other_base64_are_left_alone()
    {
        var text = "plan: 3 to create, " + Convert.ToBase64String("an unrelated file of some length"u8.ToArray());

        Assert.Equal(text, Redactor.Redact(text));
    }

    private static string LowerHexEscapes(string escaped) =>
        System.Text.RegularExpressions.Regex.Replace(escaped, "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant());
}
