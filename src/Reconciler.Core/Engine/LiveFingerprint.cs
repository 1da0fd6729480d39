using Reconciler.Core.Model;

namespace Reconciler.Core.Engine;

/// <summary>
/// A fingerprint of what a provider observed for one resource: HMAC-SHA256 (<see cref="PlanKey"/>) of the observed
/// record's canonical JSON — keyed, because an observation may hold content a plan's reader must not test guesses of.
/// Equal fingerprints mean the host looked the same to the plan, so the same diff follows.
/// </summary>
public static class LiveFingerprint
{
    public static string Of(object? observed, PlanKey key) => key.Hash(CanonicalJson.Serialize(observed));
}
