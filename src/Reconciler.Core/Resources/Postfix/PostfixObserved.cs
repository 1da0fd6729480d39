namespace Reconciler.Core.Resources.Postfix;

/// <summary>What postfix looks like for one declared setting.</summary>
public abstract record PostfixObserved(bool Installed);

/// <summary>
/// One main.cf parameter: <paramref name="Explicit"/> is its main.cf setting (<c>postconf -n</c>, null when
/// unset) and <paramref name="Effective"/> the value postfix uses (<c>postconf -h</c>, the default when unset).
/// <paramref name="Unknown"/> holds postconf's warning for a parameter this postfix does not have.
/// </summary>
public sealed record PostfixMainObserved(bool Installed, string? Explicit, string? Effective, string? Unknown) : PostfixObserved(Installed)
{
    /// <summary>A table file the declared value names (e.g. <c>mysql:/etc/postfix/x.cf</c>) that is neither on the host nor declared.</summary>
    public string? MissingTable { get; init; }
}

/// <summary>One master.cf service: its entry as <c>postconf -M</c> prints it (whitespace-normalized), null when absent.</summary>
public sealed record PostfixMasterObserved(bool Installed, string? Entry) : PostfixObserved(Installed);

/// <summary>
/// One map file in config_directory: whether it exists, its mode, owner and group, the SHA-256 of its whole content,
/// its settings other than the password (read on the host with the password lines left out) and whether the host's
/// password is the declared one (compared by digest; the password itself never leaves the host).
/// <paramref name="Directory"/> is config_directory, <paramref name="Group"/> the group mail_owner's daemons read it
/// as, and <paramref name="Supported"/> whether this postfix has the map's table type (<c>postconf -m</c>).
/// </summary>
public sealed record PostfixMapObserved(
    bool Installed,
    string Directory,
    string Group,
    bool Supported,
    PostfixMapFile? File,
    string? Refused = null) : PostfixObserved(Installed);

/// <summary>
/// A map file as found: <paramref name="Settings"/> excludes the password; <paramref name="PasswordMatches"/> says whether
/// it is the declared one. When a local user of the host could not read the file, <see cref="Withheld"/> says why and
/// <paramref name="Settings"/> hold the SHA-256 of each key and value instead (the host compares, it does not disclose).
/// </summary>
public sealed record PostfixMapFile(
    string Mode,
    string Owner,
    string Group,
    string Sha256,
    IReadOnlyList<KeyValuePair<string, string>> Settings,
    bool PasswordMatches)
{
    public string? Withheld { get; init; }
}
