using System.Security.Cryptography;
using System.Text;
using Reconciler.Core.Resources.MariaDb;

namespace Reconciler.Specs.Templates;

/// <summary>
/// The closed set of forms a template may place a secret in (<c>{{ secret "NAME" "base64" }}</c>). The controller applies
/// them when it substitutes the value into the rendered text; template code only ever names one. Each is here because
/// a file the mail kinds manage needs it: base64 for credentials files and headers, Dovecot's <c>{SSHA512}</c> for
/// passwd-files and the like.
/// </summary>
internal static class SecretTransforms
{
    public const string Base64 = "base64";

    /// <summary>Dovecot's salted SHA-512 (<c>{SSHA512}</c>), the scheme the mailbox table already uses.</summary>
    public const string Ssha512 = "ssha512";

    public static readonly IReadOnlyList<string> Names = [Base64, Ssha512];

    public static bool IsKnown(string name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>The value in its form. <paramref name="placement"/> names where it is placed (host, template), so a salt is
    /// the same every time the same file is rendered (the plan converges) and differs from file to file.</summary>
    public static string Apply(string? transform, string value, string placement) => transform switch
    {
        null or "" => value,
        Base64 => Convert.ToBase64String(Encoding.UTF8.GetBytes(value)),
        Ssha512 => PasswordHashes.Ssha512(value, SaltFor(value, placement)),
        _ => throw new ArgumentOutOfRangeException(nameof(transform), transform, "not a secret transform"),
    };

    /// <summary>Keyed by the value, so the salt tells nothing the hash does not; fixed per placement, so a re-plan is quiet.</summary>
    private static byte[] SaltFor(string value, string placement) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(value), Encoding.UTF8.GetBytes("reconciler ssha512 salt\n" + placement))[..16];
}
