using Reconciler.Core.Plans;

namespace Reconciler.Cli.Views;

/// <summary>The differences of one host as rows, shared by the HTML report and the drift issues so they never disagree.</summary>
internal static class DriftRows
{
    public const string SensitiveDeclared = "(sensitive)";
    public const string SensitiveLive = "(sensitive value differs)";

    public static IReadOnlyList<DriftRow> Of(HostPlan host)
    {
        var rows = new List<DriftRow>();
        foreach (var c in host.Differences)
        {
            if (c.Attributes.Count == 0)
            {
                rows.Add(new DriftRow(c.Address.ToString(), "—", c.Action.Verb(), c.Note ?? "", c.Source.ToString(), []));
            }

            foreach (var a in c.Attributes)
            {
                rows.Add(a.Sensitive
                    ? new DriftRow(c.Address.ToString(), a.Name.Text, SensitiveDeclared, SensitiveLive, c.Source.ToString(), AttributeLines.Describe(a))
                    : new DriftRow(c.Address.ToString(), a.Name.Text, Short(a.After), Short(a.Before), c.Source.ToString(), Sided(AttributeLines.Describe(a))));
            }
        }

        return rows;
    }

    public const string InSync = "in sync";
    public const string Drifted = "drifted";
    public const string NeedsAttention = "needs attention";
    public const string Unreachable = "unreachable";
    public const string HostKeyMismatch = "host key mismatch";

    /// <summary>
    /// One status per host, the first that applies: unreachable or host key mismatch (not read), drifted, needs attention
    /// (in sync, but a health rule is breached or a monitored kind could not be read), in sync. A drifted host's findings
    /// still show; its status is drift.
    /// </summary>
    public static string Status(HostPlan h) =>
        h.Error is not null ? Unread(h)
        : h.Differences.Any() ? Drifted
        : h.Monitoring?.NeedsAttention == true ? NeedsAttention
        : InSync;

    /// <summary>Why a host with an error was not read: it offered another host key than pinned, or it could not be reached.</summary>
    public static string Unread(HostPlan h) => h.HostKeyMismatch ? HostKeyMismatch : Unreachable;

    /// <summary>
    /// A plan's diff says what apply does: "-line" is removed. Drift reports what is: that line is on the host and not in
    /// the specs, so each diff line says which side it is on instead of a sign that reads backwards.
    /// </summary>
    private static IReadOnlyList<string> Sided(IReadOnlyList<string> lines) => lines.Select(l => l.Length > 2 && l.StartsWith("  ", StringComparison.Ordinal)
        ? l[2] switch
        {
            '-' => "  live only:     " + l[3..],
            '+' => "  declared only: " + l[3..],
            ' ' => "                 " + l[3..],
            _ => l,
        }
        : l).ToList();

    /// <summary>Multi-line text is summarised in a cell; its diff is in <see cref="DriftRow.Detail"/>.</summary>
    private static string Short(PlanValue value)
    {
        var shown = AttributeLines.Show(value);
        if (!shown.Contains('\n')) return shown;
        var lines = shown.TrimEnd('\n').Split('\n').Length;
        return lines == 1 ? "1 line" : $"{lines} lines";
    }
}
