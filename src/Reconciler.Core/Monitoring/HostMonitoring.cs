namespace Reconciler.Core.Monitoring;

/// <summary>
/// What a drift run reads from one host besides its desired state: health figures judged against the specs' rules, and
/// the host's mail traffic history. Filled only by a run that asks for it (<see cref="Engine.Reconciliation.PlanAsync"/>
/// with <c>monitor: true</c>): a pull request's plan never reads it. A monitored kind that could not be read leaves
/// its reason in <see cref="Errors"/> (naming the kind), and the host is still planned.
/// </summary>
public sealed record HostMonitoring
{
    public static HostMonitoring Empty { get; } = new();

    public HealthFacts? Health { get; init; }

    public MailTraffic? Mail { get; init; }

    /// <summary>Every rule judged, breached or not, in spec order: the report shows the breached ones as findings.</summary>
    public IReadOnlyList<HealthFinding> Findings { get; init; } = [];

    /// <summary>One line per monitored kind that could not be read or parsed on this host, e.g. "mail_graphs: …".</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    public IEnumerable<HealthFinding> Breached => Findings.Where(f => f.Breached);

    /// <summary>Something an operator should look at: a breached rule or a monitored kind that could not be read.</summary>
    public bool NeedsAttention => Breached.Any() || Errors.Count > 0;

    /// <summary>Joins what several monitored kinds read of one host; a part each kind leaves null is taken from another.</summary>
    public static HostMonitoring Merge(IEnumerable<HostMonitoring> parts)
    {
        var merged = Empty;
        foreach (var part in parts)
        {
            merged = new HostMonitoring
            {
                Health = merged.Health ?? part.Health,
                Mail = merged.Mail ?? part.Mail,
                Findings = [.. merged.Findings, .. part.Findings],
                Errors = [.. merged.Errors, .. part.Errors],
            };
        }

        return merged;
    }
}
