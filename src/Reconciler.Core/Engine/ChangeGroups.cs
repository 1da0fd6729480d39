using Reconciler.Core.Plans;

namespace Reconciler.Core.Engine;

/// <summary>The groups kinds apply their changes on one host as (<see cref="IResourceProvider.Group"/>), for plan and apply alike.</summary>
internal static class ChangeGroups
{
    /// <summary>Each kind's group among a host's planned resources; a kind that applies one change at a time has none.</summary>
    public static IReadOnlyList<ChangeGroup> Of(IReadOnlyList<PlannedResource> planned)
    {
        var host = planned.Select(p => new PlannedChange(p.Resource, p.Observed!, p.Change)).ToList();
        return planned.GroupBy(p => p.Provider)
            .Select(kind => kind.Key.Group(kind.Select(p => new PlannedChange(p.Resource, p.Observed!, p.Change)).ToList(), host))
            .OfType<ChangeGroup>()
            .ToList();
    }

    /// <summary>
    /// The plan as the groups show it: a step's note on its member, and each effect once, on the first member it follows
    /// (so a reload of several files counts once), with its attribute last and its effects added.
    /// </summary>
    public static IReadOnlyList<PlannedResource> Plan(IReadOnlyList<PlannedResource> planned)
    {
        var at = new Dictionary<Model.Resource, int>();
        for (var i = 0; i < planned.Count; i++)
        {
            at.TryAdd(planned[i].Resource, i);
        }

        var changes = planned.Select(p => p.Change).ToArray();
        foreach (var group in Of(planned))
        {
            foreach (var step in group.Steps.Where(s => s.Note is not null))
            {
                changes[at[step.Member]] = changes[at[step.Member]] with { Note = step.Note };
            }

            foreach (var effect in group.After)
            {
                var first = at[group.Followed(effect)[0]];
                changes[first] = changes[first] with
                {
                    // A member with nothing else to change (a service restarted because a file changes) changes because of it.
                    Action = changes[first].Action == ChangeAction.NoOp ? ChangeAction.Update : changes[first].Action,
                    Attributes = [.. changes[first].Attributes, AttributeChange.Of(effect.Action, null, effect.Reason is null ? effect.Target : $"{effect.Target}: {effect.Reason}")],
                    Effects = changes[first].Effects | effect.Effects,
                };
            }
        }

        return planned.Select((p, i) => p with { Change = changes[i] }).ToList();
    }
}
