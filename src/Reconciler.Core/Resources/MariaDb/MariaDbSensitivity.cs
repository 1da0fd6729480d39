using System.Text.RegularExpressions;

namespace Reconciler.Core.Resources.MariaDb;

/// <summary>
/// Which cells are secrets whatever the spec says: a pull request may declare a <c>password</c> column as plain text
/// just to see the live hash in the plan. A column is sensitive by its name (password, passwd, pass, hash, secret,
/// authentication_string, …) and a value by its shape (<c>{SSHA512}</c>, <c>{CRYPT}</c>, <c>$6$</c>, <c>$2y$</c>,
/// MariaDB's <c>*</c> + 40 hex, a bare hex digest). Such values are compared but never shown.
/// </summary>
public static partial class MariaDbSensitivity
{
    private static readonly string[] NameParts =
        ["pass", "pwd", "hash", "secret", "salt", "token", "authentication_string", "credential", "private", "api_key", "apikey", "digest", "otp"];

    public static bool IsSensitiveColumn(string column) =>
        NameParts.Any(part => column.Contains(part, StringComparison.OrdinalIgnoreCase));

    public static bool LooksLikeHash(string? value) => value is not null && HashShape().IsMatch(value.Trim());

    /// <summary>Whether a cell must never be shown: a sensitive column, or either side looks like a password hash.</summary>
    public static bool IsSensitive(string column, string? declared, string? live) =>
        IsSensitiveColumn(column) || LooksLikeHash(declared) || LooksLikeHash(live);

    // {SCHEME}…  |  crypt(3): $1$ $2a$ $2b$ $2y$ $5$ $6$ $y$ $7$ $argon2…$ $sha1$ $md5$ …  |  *<40 hex> (mysql_native_password)
    // | a bare hex digest of 32 or more characters (MD5, SHA-1, SHA-256…).
    [GeneratedRegex(@"^(\{[A-Za-z0-9._-]+\}|\$(1|2[abxy]?|5|6|7|y|gy|argon2(id|i|d)|sha1|md5|pbkdf2[-_a-z0-9]*|scrypt)\$|\*[0-9A-Fa-f]{40}$|[0-9A-Fa-f]{32,}$)", RegexOptions.CultureInvariant)]
    private static partial Regex HashShape();
}
