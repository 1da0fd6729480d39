namespace Reconciler.Core.Resources.Postfix;

/// <summary>
/// One parameter as postfix sees it: <paramref name="Explicit"/> is its main.cf setting (<c>postconf -n</c>, null when
/// unset) and <paramref name="Effective"/> the value postfix uses (<c>postconf -h</c>, the default when unset).
/// <paramref name="Unknown"/> holds postconf's warning for a parameter this postfix does not have.
/// The host's changed parameters apply as one transaction carried by the first of them: its
/// <paramref name="Transaction"/> lists them all; the others name it in <paramref name="CarriedBy"/>.
/// </summary>
public sealed record PostfixMainObserved(
    bool Installed,
    string? Explicit,
    string? Effective,
    string? Unknown,
    IReadOnlyList<PostfixMainResource>? Transaction = null,
    string? CarriedBy = null);
