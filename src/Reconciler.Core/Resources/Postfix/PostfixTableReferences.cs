using System.Text.RegularExpressions;

namespace Reconciler.Core.Resources.Postfix;

/// <summary>
/// The lookup tables a main.cf value names whose configuration is a file (mysql:, pgsql:, sqlite:, ldap:, memcache:,
/// also behind proxy:), by absolute path or relative to <c>$config_directory</c>: the files that must exist when
/// postfix reads the value.
/// </summary>
public static partial class PostfixTableReferences
{
    /// <summary>A reference: <paramref name="Text"/> as written (<c>mysql:/etc/postfix/x.cf</c>); <paramref name="InConfigDirectory"/> the
    /// path after <c>$config_directory/</c> when written that way, else null (<paramref name="Path"/> is then absolute).</summary>
    public sealed record Reference(string Text, string Path, string? InConfigDirectory);

    public static IReadOnlyList<Reference> In(string value) =>
        Pattern().Matches(value).Select(m => m.Groups["conf"].Success
            ? new Reference(m.Value, m.Groups["rest"].Value, m.Groups["rest"].Value)
            : new Reference(m.Value, m.Groups["abs"].Value, null)).ToList();

    /// <summary>Whether <paramref name="reference"/> names the file <paramref name="name"/> in <paramref name="configDirectory"/>.</summary>
    public static bool Names(Reference reference, string configDirectory, string name) =>
        reference.InConfigDirectory == name || reference.Path == $"{configDirectory.TrimEnd('/')}/{name}";

    [GeneratedRegex(@"\b(?:mysql|pgsql|sqlite|ldap|memcache):(?:(?<conf>\$config_directory/|\$\{config_directory\}/|\$\(config_directory\)/)(?<rest>[^\s,]+)|(?<abs>/[^\s,]+))")]
    private static partial Regex Pattern();
}
