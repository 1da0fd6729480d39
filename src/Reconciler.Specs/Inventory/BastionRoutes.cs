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

    /// <summary>
    /// The most bastions one route passes. Every hop is an SSH connection of its own, opened through the one before it on
    /// every run; a chain longer than any network needs is a mistake (or a pull request's way of making validation walk
    /// thousands of hops per host), refused where its <c>via</c> is written.
    /// </summary>
    public const int MaxBastions = 8;

    /// <param name="declared">Every host named under <c>hosts</c>, read or not: a bastion whose own entry has an error is
    /// reported there, not again as unknown here.</param>
    public static IReadOnlyList<Declared> Resolve(IReadOnlyList<Declared> hosts, IReadOnlySet<string> declared, ICollection<Diagnostic> diagnostics)
    {
        var byName = hosts.ToDictionary(h => h.Host.Name, StringComparer.Ordinal);
        var errorsBefore = diagnostics.Count;
        foreach (var (host, via, _) in hosts)
        {
            if (via is null) continue;
            var (chain, cycle) = ChainFrom(host.Name, byName);
            if (!declared.Contains(via.RawText))
            {
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.UnknownTarget,
                    $"host '{host.Name}': via '{via.RawText}' is not a host of this inventory{DidYouMean.Suggest(via.RawText, declared)}",
                    via.Location));
            }
            else if (cycle)
            {
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.ViaCycle,
                    $"host '{host.Name}': its bastions lead back to it ({string.Join(" -> ", chain)}); no route reaches it",
                    via.Location));
            }
            else if (chain.Count - 1 > MaxBastions)
            {
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.ViaTooLong,
                    $"host '{host.Name}': its route passes more than {MaxBastions} bastions ({string.Join(" -> ", chain)}); a route has at most {MaxBastions}",
                    via.Location));
            }
        }

        // A bastion whose own entry has an error was not read, so no route through it can be built; that error already
        // stops the inventory.
        if (diagnostics.Count > errorsBefore || hosts.Any(h => h.Via is { } via && !byName.ContainsKey(via.RawText)))
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

    /// <summary>
    /// <paramref name="start"/> and its bastions in order, walked until the chain ends, comes back to a host already in it,
    /// or is longer than <see cref="MaxBastions"/> (so no walk is longer than that); <c>Cycle</c> when it came back to
    /// <paramref name="start"/> itself (a loop elsewhere is reported at that loop's hosts).
    /// </summary>
    private static (IReadOnlyList<string> Chain, bool Cycle) ChainFrom(string start, Dictionary<string, Declared> byName)
    {
        var chain = new List<string> { start };
        var next = byName[start].Via?.RawText;
        while (next is not null && next != start && !chain.Contains(next) && chain.Count <= MaxBastions + 1)
        {
            chain.Add(next);
            next = byName.TryGetValue(next, out var hop) ? hop.Via?.RawText : null;
        }

        return next == start ? ([.. chain, start], true) : (chain, false);
    }
}
