using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Specs;
using Reconciler.Specs.Yaml;

namespace Reconciler.Specs.Inventory;

/// <summary>
/// Resolves each host's <c>via</c> (the bastion it is reached through, ProxyJump semantics) into the chain of bastions'
/// connections carried on its <see cref="HostSpec.Via"/>. A name that is not a host of the inventory, and a chain that
/// comes back to the host it starts from, are errors at the <c>via</c> that says so.
/// </summary>
internal static class BastionRoutes
{
    /// <summary>A host as read, with the <c>via</c> its own entry or one of its groups gives it.</summary>
    public sealed record Declared(HostSpec Host, SpecScalar? Via, bool BastionOnly);

    /// <param name="declared">Every host named under <c>hosts</c>, read or not: a bastion whose own entry has an error is
    /// reported there, not again as unknown here.</param>
    public static IReadOnlyList<Declared> Resolve(IReadOnlyList<Declared> hosts, IReadOnlySet<string> declared, ICollection<Diagnostic> diagnostics)
    {
        var byName = hosts.ToDictionary(h => h.Host.Name, StringComparer.Ordinal);
        var errorsBefore = diagnostics.Count;
        foreach (var (host, via, _) in hosts)
        {
            if (via is null) continue;
            if (!declared.Contains(via.RawText))
            {
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.UnknownTarget,
                    $"host '{host.Name}': via '{via.RawText}' is not a host of this inventory{DidYouMean.Suggest(via.RawText, declared)}",
                    via.Location));
            }
            else if (CycleFrom(host.Name, byName) is { } cycle)
            {
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.ViaCycle,
                    $"host '{host.Name}': its bastions lead back to it ({string.Join(" -> ", cycle)}); no route reaches it",
                    via.Location));
            }
        }

        if (diagnostics.Count > errorsBefore)
        {
            return hosts;
        }

        var routed = new Dictionary<string, HostSpec>(StringComparer.Ordinal);
        HostSpec Routed(string name)
        {
            if (routed.TryGetValue(name, out var done)) return done;
            var (host, via, _) = byName[name];
            return routed[name] = via is null ? host : host with { Via = Routed(via.RawText).ConnectionOnly() };
        }

        return hosts.Select(h => h with { Host = Routed(h.Host.Name) }).ToList();
    }

    /// <summary>The chain from <paramref name="start"/> back to itself, or null when it ends (or loops elsewhere: that loop's hosts say so).</summary>
    private static IReadOnlyList<string>? CycleFrom(string start, Dictionary<string, Declared> byName)
    {
        var chain = new List<string> { start };
        var next = byName[start].Via?.RawText;
        while (next is not null && next != start && !chain.Contains(next))
        {
            chain.Add(next);
            next = byName.TryGetValue(next, out var hop) ? hop.Via?.RawText : null;
        }

        return next == start ? [.. chain, start] : null;
    }
}
