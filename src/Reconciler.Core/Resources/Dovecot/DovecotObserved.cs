using System.Text.Json.Serialization;

namespace Reconciler.Core.Resources.Dovecot;

/// <summary>
/// What dovecot looks like for one declaration. The host's changed files apply as one transaction carried by the
/// first of them: its <see cref="Transaction"/> lists them all (and <see cref="Probes"/> every declared login);
/// the others name it in <see cref="CarriedBy"/>.
/// </summary>
public abstract record DovecotObserved(bool Installed)
{
    /// <summary>Not part of the fingerprint as such: <see cref="Carries"/> names the same changes.</summary>
    [JsonIgnore]
    public IReadOnlyList<DovecotFileResource>? Transaction { get; init; }

    public IReadOnlyList<string>? Carries => Transaction?.Select(r => r.Address.ToString()).ToList();

    /// <summary>The logins the carrier's transaction tries after the reload; never serialized (they hold passwords).</summary>
    [JsonIgnore]
    public IReadOnlyList<DovecotProbeResource> Probes { get; init; } = [];

    /// <summary>On the carrier: whether dovecot must restart (listeners change) rather than reload.</summary>
    public bool Restart { get; init; }

    public string? CarriedBy { get; init; }
}
