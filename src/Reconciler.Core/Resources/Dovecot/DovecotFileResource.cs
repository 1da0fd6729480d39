using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Resources.Files;

namespace Reconciler.Core.Resources.Dovecot;

/// <summary>
/// One file under <see cref="ConfigDirectory"/>, whole: content (literal, or rendered from a template per host), owner,
/// group and mode. <paramref name="Content"/> is null only until a template is rendered.
/// </summary>
public sealed record DovecotFileResource(
    string Path,
    string? Content,
    string Owner,
    string Group,
    string Mode,
    bool Sensitive,
    SourceLocation Source) : DovecotResource(Source), ITemplatedResource
{
    public const string KindName = "dovecot_file";

    /// <summary>Debian's (and dovecot's default) configuration directory; its dovecot.conf is what doveconf checks.</summary>
    public const string ConfigDirectory = "/etc/dovecot";

    public const string DefaultOwner = "root";
    public const string DefaultGroup = "root";
    public const string DefaultMode = "0644";

    public override ResourceAddress Address => new(KindName, Path);

    /// <summary>The path relative to <see cref="ConfigDirectory"/>, as it is found in the staged copy.</summary>
    public string RelativePath => Path[(ConfigDirectory.Length + 1)..];

    public string NormalizedMode => FileResource.NormalizeMode(Mode);

    public Resource WithRenderedContent(string content, bool sensitive) => this with { Content = content, Sensitive = sensitive };

    /// <summary>Whether <paramref name="path"/> (absolute, normalized) names a file inside the configuration directory.</summary>
    public static bool IsInConfigDirectory(string path) =>
        path.StartsWith(ConfigDirectory + "/", StringComparison.Ordinal) && path.Length > ConfigDirectory.Length + 1;
}
