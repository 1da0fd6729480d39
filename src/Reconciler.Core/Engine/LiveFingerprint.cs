using Reconciler.Core.Model;

namespace Reconciler.Core.Engine;

/// <summary>
/// A fingerprint of what a provider observed for one resource: SHA-256 of the observed record's canonical JSON.
/// Equal fingerprints mean the host looked the same to the plan, so the same diff follows.
/// </summary>
public static class LiveFingerprint
{
    public static string Of(object? observed) => CanonicalJson.Sha256(CanonicalJson.Serialize(observed));
}
