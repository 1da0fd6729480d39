using Renci.SshNet.Common;

namespace Reconciler.Ssh;

/// <summary>
/// A pinned host key: either "algorithm base64-key" (as in known_hosts or a .pub file) or "SHA256:fingerprint".
/// There is no trust-on-first-use: a key that does not match is refused.
/// </summary>
internal sealed record HostKeyPin(string? Algorithm, string? KeyBase64, string? Sha256Fingerprint)
{
    public static HostKeyPin Parse(string pinned)
    {
        var parts = pinned.Trim().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 1 && parts[0].StartsWith("SHA256:", StringComparison.Ordinal))
        {
            return new HostKeyPin(null, null, parts[0]["SHA256:".Length..].TrimEnd('='));
        }

        if (parts.Length >= 2)
        {
            return new HostKeyPin(parts[0], parts[1], null);
        }

        throw new FormatException($"host key '{pinned}' is neither 'algorithm base64' nor 'SHA256:fingerprint'");
    }

    /// <summary>Host-key algorithms the client may negotiate: only the pinned key's, so the server cannot offer another.</summary>
    public bool Allows(string hostKeyAlgorithm) => Algorithm switch
    {
        null => true,
        "ssh-rsa" or "rsa-sha2-256" or "rsa-sha2-512" => hostKeyAlgorithm is "ssh-rsa" or "rsa-sha2-256" or "rsa-sha2-512",
        _ => hostKeyAlgorithm == Algorithm,
    };

    public bool Matches(HostKeyEventArgs offered) =>
        Sha256Fingerprint is not null
            ? offered.FingerPrintSHA256.TrimEnd('=') == Sha256Fingerprint
            : Convert.ToBase64String(offered.HostKey) == KeyBase64;

    /// <summary>
    /// The pin as a person compares it: the algorithm and the SHA256 fingerprint OpenSSH prints (the start of a key's
    /// base64 is the same for every key of its algorithm, so it would tell two keys apart by nothing).
    /// </summary>
    public override string ToString() => Sha256Fingerprint is not null ? "SHA256:" + Sha256Fingerprint : $"{Algorithm} SHA256:{Fingerprint(KeyBase64!)}";

    private static string Fingerprint(string keyBase64)
    {
        var blob = new byte[keyBase64.Length];
        return Convert.TryFromBase64String(keyBase64, blob, out var length)
            ? Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(blob.AsSpan(0, length))).TrimEnd('=')
            : "(not base64)";
    }
}
