using System.Security.Cryptography;
using System.Text;

namespace Reconciler.Core.Resources.MariaDb;

/// <summary>
/// The password hashes MariaDB and Dovecot store, computed and checked here so a plaintext never has to reach a host to
/// be compared: MariaDB's <c>mysql_native_password</c> and Dovecot's salted <c>{SSHA512}</c>.
/// </summary>
public static class PasswordHashes
{
    public const string Ssha512Prefix = "{SSHA512}";

    private const int Sha512Length = 64;
    private const int SaltLength = 16;

    /// <summary>MariaDB's mysql_native_password hash: <c>*</c> and the upper-case hex of SHA1(SHA1(password)).</summary>
    public static string Native(string password) =>
        "*" + Convert.ToHexString(SHA1.HashData(SHA1.HashData(Encoding.UTF8.GetBytes(password))));

    /// <summary>Whether a live mysql_native_password hash is the one of <paramref name="password"/>.</summary>
    public static bool IsNative(string? stored, string password) =>
        stored is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(stored.ToUpperInvariant()), Encoding.ASCII.GetBytes(Native(password)));

    /// <summary>Dovecot's SSHA512: <c>{SSHA512}</c> and base64(SHA512(password + salt) + salt), with a fresh random salt.</summary>
    public static string Ssha512(string password) => Ssha512(password, RandomNumberGenerator.GetBytes(SaltLength));

    public static string Ssha512(string password, byte[] salt)
    {
        var digest = SHA512.HashData([.. Encoding.UTF8.GetBytes(password), .. salt]);
        return Ssha512Prefix + Convert.ToBase64String([.. digest, .. salt]);
    }

    /// <summary>
    /// Whether a stored <c>{SSHA512}</c> value was made from <paramref name="password"/>: the salt is whatever follows the
    /// 64-byte digest, so a value is verified, never re-hashed and compared.
    /// </summary>
    public static bool IsSsha512(string? stored, string password)
    {
        if (stored is null || !stored.StartsWith(Ssha512Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(stored[Ssha512Prefix.Length..]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (decoded.Length <= Sha512Length)
        {
            return false;
        }

        var expected = SHA512.HashData([.. Encoding.UTF8.GetBytes(password), .. decoded.AsSpan(Sha512Length)]);
        return CryptographicOperations.FixedTimeEquals(expected, decoded.AsSpan(0, Sha512Length));
    }
}
