using Reconciler.Core.Monitoring;

namespace Reconciler.Core.Resources.MailGraphs;

/// <summary>One RRD directory as the host exported it: its traffic, or why the host could not export it (a plain sentence).</summary>
public sealed record MailGraphObserved(MailTraffic? Traffic, string? Problem)
{
    public static MailGraphObserved Exported(MailTraffic traffic) => new(traffic, null);

    public static MailGraphObserved Unavailable(string problem) => new(null, problem);
}
