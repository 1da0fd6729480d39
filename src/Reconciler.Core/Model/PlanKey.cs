using System.Security.Cryptography;
using System.Text;

namespace Reconciler.Core.Model;

/// <summary>
/// The key of every digest and fingerprint in a plan (HMAC-SHA256). A plain hash of a desired state or of what a host
/// showed would let anyone holding a plan artifact test guesses of the secret values it covers offline; keyed, the
/// digests say nothing without the key, which lives with the operator (<c>RECONCILER_PLAN_KEY</c>), never in the plan.
/// A plan records only <see cref="Id"/>, so apply can tell a missing or different key from a changed desired state.
/// Without a configured key a run uses an <see cref="Ephemeral"/> one: digests then only compare within the process.
/// </summary>
public sealed class PlanKey
{
    public const string EnvironmentVariable = "RECONCILER_PLAN_KEY";

    /// <summary>Shorter keys could be guessed offline from any digest of a host without secrets.</summary>
    public const int MinLength = 32;

    private const string Prefix = "hmac-sha256:";

    private readonly byte[] _key;

    private PlanKey(byte[] key, bool ephemeral)
    {
        _key = key;
        IsEphemeral = ephemeral;
        Id = ephemeral ? null : Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(key, "reconciler plan key id"u8))[..16];
    }

    /// <summary>One random key per process, for runs with no key configured.</summary>
    public static PlanKey Ephemeral { get; } = new(RandomNumberGenerator.GetBytes(32), ephemeral: true);

    /// <summary>True when no key was configured: digests made with it cannot be checked by another process.</summary>
    public bool IsEphemeral { get; }

    /// <summary>Names the key without revealing it (an HMAC of a fixed text, truncated); null for an ephemeral key.</summary>
    public string? Id { get; }

    /// <summary>The key from the operator's setting, or the one-line reason it cannot be used.</summary>
    public static (PlanKey? Key, string? Error) From(string secret) =>
        secret.Trim().Length < MinLength
            ? (null, $"{EnvironmentVariable} is too short: use at least {MinLength} random characters (e.g. the output of 'openssl rand -hex 32')")
            : (new PlanKey(Encoding.UTF8.GetBytes(secret.Trim()), ephemeral: false), null);

    /// <summary>"hmac-sha256:" and the lowercase hex HMAC-SHA256 of <paramref name="text"/> as UTF-8.</summary>
    public string Hash(string text) => Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text)));

    public override string ToString() => Id ?? "ephemeral plan key";
}
