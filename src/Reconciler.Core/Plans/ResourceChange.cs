using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Plans;

/// <summary>What the plan says will happen to one resource, attribute by attribute.</summary>
public sealed record ResourceChange(
    ResourceAddress Address,
    ChangeAction Action,
    IReadOnlyList<AttributeChange> Attributes,
    SourceLocation Source,
    string? Note = null)
{
    /// <summary>
    /// SHA-256 of the live state this change was planned against (see <see cref="LiveFingerprint"/>); a saved plan
    /// is applied only while every fingerprint still matches. Null for changes not built from a host read.
    /// </summary>
    public string? Fingerprint { get; init; }

    /// <summary>
    /// The declared glob path whose match this change is (or whose zero matches or refusal it reports); null for a path
    /// declared as it is. A saved plan's glob matches may come and go before apply without making the host stale.
    /// </summary>
    public string? MatchedBy { get; init; }

    /// <summary>
    /// One step of several (a DKIM rotation: make, publish, wait, switch): the read that verifies an apply may show the
    /// next step of a resource whose step succeeded, which is progress, not a failure to converge.
    /// </summary>
    public bool Stepwise { get; init; }

    /// <summary>What the change does beyond its attributes (reload, restart, deletes data, guarded area).</summary>
    public ChangeEffects Effects { get; init; }

    public static ResourceChange NoOp(Resource r) => new(r.Address, ChangeAction.NoOp, [], r.Source);

    public static ResourceChange Blocked(Resource r, string reason) =>
        new(r.Address, ChangeAction.Blocked, [], r.Source, reason);

    public static ResourceChange Skipped(Resource r, string reason) =>
        new(r.Address, ChangeAction.Skip, [], r.Source, reason);
}
