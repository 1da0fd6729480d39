using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.Packages;

/// <summary>
/// The pure diff of one package: its state, version and hold; the lists' refresh on the package that shows it; and on
/// the package that shows apt's answer, every package apt would install, upgrade or remove that the spec does not
/// name — a removal is a deleted part (<see cref="ChangeEffects.DeletesData"/>). A package or version the lists do not
/// offer, or a change apt's simulation refuses, is blocked: the plan says why and apply never tries it.
/// </summary>
public static class PackageDiff
{
    public static ResourceChange Of(PackageResource desired, PackageObserved observed)
    {
        var entry = observed.Entry;
        var attributes = new List<AttributeChange>();
        var action = ChangeAction.NoOp;
        switch (desired.State)
        {
            case PackageState.Present:
                var wanted = desired.Version;
                var installed = entry is { Installed: true };
                if (!installed || (wanted is not null && entry!.Version != wanted))
                {
                    // Lists that apply updates first may offer what they lack now (a fresh host has none at all):
                    // the package is planned from the updated lists, and apt itself refuses it then if they do not.
                    if (observed.ListsRefreshDue && (wanted is null ? observed.Available.Count == 0 : !observed.Available.Contains(wanted)) && entry is not { Present: true })
                    {
                        action = ChangeAction.Create;
                        attributes.Add(new AttributeChange(PackageAttributeNames.State, PlanValue.Of("not installed"), PlanValue.Of("installed")));
                        attributes.Add(new AttributeChange(PackageAttributeNames.Version, new PlanValue.Absent(), PlanValue.Of(wanted ?? "the updated lists' candidate")));
                        break;
                    }

                    if (wanted is not null && !observed.Available.Contains(wanted) && entry?.Version != wanted)
                    {
                        return ResourceChange.Blocked(desired, observed.Available.Count == 0
                            ? $"version {wanted} of {desired.Name} is not in this host's apt lists (they offer no version of it)"
                            : $"version {wanted} of {desired.Name} is not in this host's apt lists (they offer {string.Join(", ", observed.Available)})");
                    }

                    if (wanted is null && observed.Available.Count == 0 && entry is not { Present: true, ConfigFilesOnly: false })
                    {
                        return ResourceChange.Blocked(desired, $"{desired.Name} is not in this host's apt lists");
                    }

                    var to = wanted ?? observed.Host.Simulated.FirstOrDefault(a => a.Installs && a.Package == desired.Name)?.To ?? observed.Available.FirstOrDefault() ?? entry!.Version;
                    action = entry is { Present: true } && !entry.ConfigFilesOnly ? ChangeAction.Update : ChangeAction.Create;
                    if (!installed) attributes.Add(new AttributeChange(PackageAttributeNames.State, PlanValue.Of(entry?.Shown ?? "not installed"), PlanValue.Of("installed")));
                    if (entry?.Version != to) attributes.Add(new AttributeChange(PackageAttributeNames.Version, entry is { Present: true } ? PlanValue.Of(entry.Version) : new PlanValue.Absent(), PlanValue.Of(to)));
                }

                break;
            case PackageState.Absent when entry is { Present: true, ConfigFilesOnly: false }:
                action = ChangeAction.Delete;
                attributes.Add(new AttributeChange(PackageAttributeNames.State, PlanValue.Of(entry.Shown), PlanValue.Of("removed, config files kept")));
                break;
            case PackageState.Purged when entry is { Present: true }:
                action = ChangeAction.Delete;
                attributes.Add(new AttributeChange(PackageAttributeNames.State, PlanValue.Of(entry.Shown), PlanValue.Of("purged")));
                break;
        }

        if (desired.Hold is { } hold && (entry?.Held ?? false) != hold)
        {
            attributes.Add(AttributeChange.Of(PackageAttributeNames.Hold, (entry?.Held ?? false) ? "held" : "not held", hold ? "held" : "not held"));
            if (action == ChangeAction.NoOp) action = ChangeAction.Update;
        }

        if (observed.ShowsRefresh)
        {
            var age = observed.Host.ListsAge is { } a ? $"updated {PackageNames.Shown(a)} ago" : "none";
            attributes.Add(AttributeChange.Of(PackageAttributeNames.Lists, age, $"apt-get update first (max_age {PackageNames.Shown(desired.RefreshMaxAge!.Value)})"));
            if (action == ChangeAction.NoOp) action = ChangeAction.Update;
        }

        if (action == ChangeAction.NoOp) return ResourceChange.NoOp(desired);
        // apt simulated against the lists the refresh replaces; apply's own apt call, after the update, is the judge then.
        if (observed.Host.SimulationError is { } refused && !observed.ListsRefreshDue && attributes.Any(x => x.Name == PackageAttributeNames.State || x.Name == PackageAttributeNames.Version))
        {
            return ResourceChange.Blocked(desired, $"apt's simulation of this host's package changes fails: {refused}");
        }

        var effects = ChangeEffects.None;
        if (observed.ShowsApt)
        {
            foreach (var extra in observed.Host.Simulated.Where(x => !observed.Host.Declares(x)))
            {
                if (extra.Installs)
                {
                    attributes.Add(AttributeChange.Of(PackageAttributeNames.AptInstalls(extra.Package), extra.From, extra.To));
                }
                else
                {
                    attributes.Add(new AttributeChange(PackageAttributeNames.AptRemoves(extra.Package), PlanValue.Of(extra.From ?? "config files"), new PlanValue.Deleted()));
                    effects |= ChangeEffects.DeletesData;
                }
            }
        }

        return new ResourceChange(desired.Address, action, attributes, desired.Source) { Effects = effects };
    }
}
