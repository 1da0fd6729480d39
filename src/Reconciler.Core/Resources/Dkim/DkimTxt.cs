using System.Security.Cryptography;
using System.Text;

namespace Reconciler.Core.Resources.Dkim;

/// <summary>
/// A DKIM key's TXT record (RFC 6376 3.6.1): built from the key's public half, split into the 255-byte character-strings
/// DNS carries, and read back by joining them (never compared string by string: providers split records differently).
/// </summary>
public static class DkimTxt
{
    /// <summary>The most a DNS character-string holds.</summary>
    public const int MaxString = 255;

    /// <summary>The record for a public key (base64 DER SubjectPublicKeyInfo).</summary>
    public static string Value(string publicKey) => $"v=DKIM1; k=rsa; p={publicKey}";

    /// <summary>The value cut into character-strings of at most 255 bytes (the value is ASCII, so bytes are characters).</summary>
    public static IReadOnlyList<string> Strings(string value) =>
        Enumerable.Range(0, (value.Length + MaxString - 1) / MaxString)
            .Select(i => value.Substring(i * MaxString, Math.Min(MaxString, value.Length - i * MaxString)))
            .ToList();

    /// <summary>The p= tag of a joined record (whitespace inside it removed, as RFC 6376 allows folding), or null when there is none or v= is not DKIM1.</summary>
    public static string? PublicKeyOf(string joined)
    {
        string? p = null;
        var first = true;
        foreach (var tag in joined.Split(';'))
        {
            var eq = tag.IndexOf('=');
            if (eq < 0)
            {
                if (tag.Trim().Length > 0) return null;
                continue;
            }

            var name = tag[..eq].Trim();
            var value = tag[(eq + 1)..];
            if (name == "v" && (!first || value.Trim() != "DKIM1")) return null;
            if (name == "k" && value.Trim() != "rsa") return null;
            if (name == "p") p = string.Concat(value.Where(c => !char.IsWhiteSpace(c)));
            first = false;
        }

        return p;
    }

    /// <summary>The fingerprint plans show for a public key: SHA256 of its DER bytes, base64 like OpenSSH's.</summary>
    public static string Fingerprint(string publicKey)
    {
        try
        {
            return "SHA256:" + Convert.ToBase64String(SHA256.HashData(Convert.FromBase64String(publicKey))).TrimEnd('=');
        }
        catch (FormatException)
        {
            return "SHA256:" + Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(publicKey))).TrimEnd('=') + " (not base64)";
        }
    }

    /// <summary>The hex SHA-256 the host records of a key's public half when it makes the key.</summary>
    public static string RecordedDigest(string publicKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(publicKey)));

    /// <summary>The key's size in bits, or null when the public half is not an RSA SubjectPublicKeyInfo.</summary>
    public static int? Bits(string publicKey)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey), out _);
            return rsa.KeySize;
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }
}
