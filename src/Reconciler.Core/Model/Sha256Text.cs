using System.Security.Cryptography;
using System.Text;

namespace Reconciler.Core.Model;

/// <summary>The one SHA-256 of text everything compares: file contents, digests, fingerprints, drift issue keys.</summary>
public static class Sha256Text
{
    /// <summary>Lowercase hex of the UTF-8 bytes, as <c>sha256sum</c> prints it.</summary>
    public static string Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
