using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Engine;

/// <summary>
/// The plan of a host the controller must not contact (<see cref="TrustedInventory.WhyNotContacted"/>): its whole
/// desired state as creates, made without a connection. Each kind shows its resources as it would against a host that
/// has none of them — its own diff against an empty fact read — so values and sensitivity are shown exactly as in any
/// plan; only the action is always create, and nothing is read from anywhere.
/// </summary>
internal static class NotContactedPlan
{
    /// <summary>What every change of such a host says, so each medium marks each resource.</summary>
    public const string Note = "not contacted";

    public static HostPlan Of(HostDesiredState host, string reason, ProviderRegistry providers)
    {
        var absent = new Dictionary<Resource, ResourceChange?>(ReferenceEqualityComparer.Instance);
        foreach (var group in host.Resources.GroupBy(providers.For))
        {
            var resources = group.ToList();
            var observed = Attempt(() => group.Key.ParseFacts(resources, FactAnswers.None));
            var described = new List<PlannedResource>();
            for (var i = 0; i < resources.Count; i++)
            {
                var index = i;
                absent[resources[i]] = observed is null ? null : Attempt(() => providers.Diff(group.Key, resources[index], observed[index]));
                if (absent[resources[i]] is { } diff)
                {
                    described.Add(new PlannedResource(resources[i], group.Key, observed![i], diff));
                }
            }

            // As a group would show them in any plan (its notes, its effects once).
            foreach (var planned in Attempt(() => ChangeGroups.Plan(described)) ?? [])
            {
                absent[planned.Resource] = planned.Change;
            }
        }

        var changes = host.Resources.Select(r => new ResourceChange(
            r.Address,
            ChangeAction.Create,
            absent[r] is { } diff ? diff.Attributes.Where(a => a.After is not PlanValue.Absent).Select(a => a with { Before = new PlanValue.Absent() }).ToList() : [],
            r.Source,
            Note) { Effects = absent[r]?.Effects ?? ChangeEffects.None }).ToList();
        return new HostPlan(host.Host.Name, changes) { NotContacted = reason };
    }

    /// <summary>A kind that cannot describe a resource against no facts at all still lists it, without attributes.</summary>
    private static T? Attempt<T>(Func<T> describe)
        where T : class
    {
        try
        {
            return describe();
        }
        catch (Exception e) when (e is MalformedFactsException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }
}
