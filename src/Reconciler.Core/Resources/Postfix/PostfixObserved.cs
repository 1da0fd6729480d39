namespace Reconciler.Core.Resources.Postfix;

/// <summary>
/// What postfix looks like for one declared setting. The host's changed settings (main.cf and master.cf alike) apply
/// as one transaction carried by the first of them: its <see cref="Transaction"/> lists them all; the others name it
/// in <see cref="CarriedBy"/>.
/// </summary>
public abstract record PostfixObserved(bool Installed)
{
    /// <summary>Not part of the fingerprint as such: <see cref="Carries"/> names the same changes.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<PostfixResource>? Transaction { get; init; }

    public IReadOnlyList<string>? Carries => Transaction?.Select(r => r.Address.ToString()).ToList();

    public string? CarriedBy { get; init; }
}

/// <summary>
/// One main.cf parameter: <paramref name="Explicit"/> is its main.cf setting (<c>postconf -n</c>, null when
/// unset) and <paramref name="Effective"/> the value postfix uses (<c>postconf -h</c>, the default when unset).
/// <paramref name="Unknown"/> holds postconf's warning for a parameter this postfix does not have.
/// </summary>
public sealed record PostfixMainObserved(bool Installed, string? Explicit, string? Effective, string? Unknown) : PostfixObserved(Installed);

/// <summary>One master.cf service: its entry as <c>postconf -M</c> prints it (whitespace-normalized), null when absent.</summary>
public sealed record PostfixMasterObserved(bool Installed, string? Entry) : PostfixObserved(Installed);
