namespace Reconciler.Core.Engine;

/// <summary>
/// A kind's changes on one host applied as one group: <paramref name="Steps"/> run in order, each deciding its member's
/// outcome, and each of <paramref name="After"/> runs once after the steps of the members it follows.
/// </summary>
public sealed record ChangeGroup(IReadOnlyList<GroupStep> Steps, IReadOnlyList<GroupEffect> After)
{
    /// <summary>The plan note of a member whose change another member's step applies as one transaction.</summary>
    public static string CarriedNote(GroupStep carrier) => $"applied in {carrier.Member.Address}'s transaction";

    /// <summary>The resources <paramref name="effect"/> runs after: the ones it names, or every member of the group.</summary>
    public IReadOnlyList<Model.Resource> Followed(GroupEffect effect) => effect.Follows ?? Steps.Select(s => s.Member).ToList();
}
