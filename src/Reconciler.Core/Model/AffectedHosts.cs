namespace Reconciler.Core.Model;

/// <summary>
/// Which hosts a change of the desired state (base → head, e.g. a pull request) reaches, found by comparing each
/// host's fully materialized desired state: a change to a group's variables or resources reaches every member,
/// a template change every host rendering it differently, and nothing else counts.
/// </summary>
public sealed record AffectedHosts(
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Changed,
    IReadOnlyList<string> Unchanged,
    IReadOnlyList<string> Removed)
{
    /// <summary>Hosts a plan of head must cover: new at head, or different from base.</summary>
    public IReadOnlyList<string> Affected => [.. Added, .. Changed];

    /// <param name="baseState">Null when base has no valid desired state: every host at head is then new.</param>
    public static AffectedHosts Compare(DesiredState? baseState, DesiredState head)
    {
        // Compared within this process only, so any key does.
        var key = PlanKey.Ephemeral;
        var before = (baseState?.Hosts ?? []).ToDictionary(h => h.Host.Name, h => DesiredStateDigest.Of(h, key), StringComparer.Ordinal);
        var added = new List<string>();
        var changed = new List<string>();
        var unchanged = new List<string>();
        foreach (var host in head.Hosts)
        {
            var list = !before.TryGetValue(host.Host.Name, out var digest) ? added
                : digest == DesiredStateDigest.Of(host, key) ? unchanged
                : changed;
            list.Add(host.Host.Name);
        }

        var removed = before.Keys.Where(name => head.Hosts.All(h => h.Host.Name != name)).Order(StringComparer.Ordinal).ToList();
        return new AffectedHosts(added, changed, unchanged, removed);
    }
}
