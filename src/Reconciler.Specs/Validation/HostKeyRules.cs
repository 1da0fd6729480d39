using System.Buffers.Binary;
using System.Text;

namespace Reconciler.Specs.Validation;

/// <summary>Parses a pinned SSH host key as written in known_hosts, or an OpenSSH SHA256 fingerprint.</summary>
internal static class HostKeyRules
{
    public static readonly IReadOnlyList<string> Algorithms =
    [
        "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "rsa-sha2-256", "rsa-sha2-512",
    ];

    private const string FingerprintPrefix = "SHA256:";

    /// <summary>Returns the normalized key ("&lt;algorithm&gt; &lt;base64&gt;" or "SHA256:…"), or the problem.</summary>
    public static (string? Normalized, string? Problem) Normalize(string text)
    {
        text = text.Trim();
        if (text.StartsWith(FingerprintPrefix, StringComparison.Ordinal))
        {
            return NormalizeFingerprint(text[FingerprintPrefix.Length..]);
        }

        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            return (null, "host_key must be '<algorithm> <base64>' (as in known_hosts) or 'SHA256:<fingerprint>'");
        }

        var (algorithm, keyData) = (parts[0], parts[1]);
        if (!Algorithms.Contains(algorithm) && parts.Length >= 3 && Algorithms.Contains(parts[1]))
        {
            // ssh-keyscan and known_hosts put the host first ("[127.0.0.1]:2222 ssh-ed25519 AAAA…"): the usual paste.
            var shown = parts[0].Length <= 64 ? parts[0] : parts[0][..64] + "…";
            return (null, $"host_key starts with the host field '{shown}' of a known_hosts or ssh-keyscan line: keep only " +
                          $"'{parts[1]} <base64>', or print the line to paste with `reconciler host-key ADDRESS[:PORT]`");
        }

        if (!Algorithms.Contains(algorithm))
        {
            return (null, $"host_key algorithm '{algorithm}' is not one of {string.Join(", ", Algorithms)}");
        }

        var blob = new byte[keyData.Length];
        if (!Convert.TryFromBase64String(keyData, blob, out var length))
        {
            return (null, "host_key data is not valid base64");
        }

        // The key blob names its own type; a mismatch means a key was pasted next to the wrong algorithm.
        var blobAlgorithm = ReadBlobAlgorithm(blob.AsSpan(0, length));
        var expected = algorithm.StartsWith("rsa-sha2-", StringComparison.Ordinal) ? "ssh-rsa" : algorithm;
        if (blobAlgorithm != expected)
        {
            return (null, blobAlgorithm is null
                ? "host_key data is not an SSH public key"
                : $"host_key data is a '{blobAlgorithm}' key, not '{algorithm}'");
        }

        return ($"{algorithm} {keyData}", null);
    }

    private static (string?, string?) NormalizeFingerprint(string encoded)
    {
        var unpadded = encoded.TrimEnd('=');
        var padded = unpadded.PadRight(unpadded.Length + (4 - unpadded.Length % 4) % 4, '=');
        var hash = new byte[padded.Length];
        return Convert.TryFromBase64String(padded, hash, out var length) && length == 32
            ? (FingerprintPrefix + unpadded, null)
            : (null, "host_key fingerprint must be 'SHA256:' followed by 43 base64 characters (a 32-byte hash)");
    }

    private static string? ReadBlobAlgorithm(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < 4)
        {
            return null;
        }

        var nameLength = BinaryPrimitives.ReadUInt32BigEndian(blob);
        if (nameLength == 0 || nameLength > 64 || nameLength > blob.Length - 4)
        {
            return null;
        }

        return Encoding.ASCII.GetString(blob.Slice(4, (int)nameLength));
    }
}
