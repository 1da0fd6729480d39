using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Firewall;

/// <summary>
/// Turns the <see cref="FirewallSection"/>s reaching one host into what is applied: one <see cref="BlockSetResource"/>
/// per set and family, then one <see cref="FirewallChainResource"/> per family. Sets come first so the chain's
/// <c>--match-set</c> references exist when it is loaded; the chain comes last so sets it drops are destroyed only
/// after it no longer references them. Chain order: each section's block sets, then its flag rules, sections in
/// load order.
/// </summary>
public static class FirewallComposer
{
    public static IReadOnlyList<Resource> Compose(IReadOnlyList<Resource> resources)
    {
        var sections = resources.OfType<FirewallSection>().ToList();
        if (sections.Count == 0)
        {
            return resources;
        }

        var sets = new List<BlockSetResource>();
        var rules = new Dictionary<IpFamily, List<string>> { [IpFamily.Ipv4] = [], [IpFamily.Ipv6] = [] };
        foreach (var section in sections)
        {
            foreach (var set in section.BlockSets)
            {
                foreach (var family in new[] { IpFamily.Ipv4, IpFamily.Ipv6 })
                {
                    var entries = set.Entries.Where(e => e.Family == family).Select(e => e.Text).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                    // A set declared empty still exists (in both families), so entries can be added later without a rule change.
                    if (entries.Count == 0 && set.Entries.Count > 0)
                    {
                        continue;
                    }

                    var name = FirewallNames.SetName(set.Name, family);
                    sets.Add(new BlockSetResource(name, family, entries, set.Source));
                    rules[family].Add(FirewallRules.ForSet(name, set.Name, set.Action, family));
                }
            }

            foreach (var rule in section.FlagRules)
            {
                rules[IpFamily.Ipv4].Add(FirewallRules.ForFlags(rule, IpFamily.Ipv4));
                rules[IpFamily.Ipv6].Add(FirewallRules.ForFlags(rule, IpFamily.Ipv6));
            }
        }

        var chains = rules.Select(r => new FirewallChainResource(
            r.Key,
            r.Value,
            sets.Where(s => s.Family == r.Key).Select(s => s.SetName).Distinct().ToList(),
            sections[0].Source));
        var composed = new List<Resource>();
        var inserted = false;
        foreach (var resource in resources)
        {
            if (resource is not FirewallSection)
            {
                composed.Add(resource);
            }
            else if (!inserted)
            {
                composed.AddRange(sets);
                composed.AddRange(chains);
                inserted = true;
            }
        }

        return composed;
    }
}
