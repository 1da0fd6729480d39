namespace Reconciler.Core.Monitoring;

/// <summary>
/// A host's Mailgraph history, exported from its RRDs: one series per period (day, week, month, year), each point the
/// number of messages counted in that bucket. <see cref="LastUpdate"/> is when Mailgraph last wrote (stale data shows).
/// </summary>
public sealed record MailTraffic(DateTimeOffset? LastUpdate, IReadOnlyList<MailPeriod> Periods);

/// <summary>One period's series: its name ("day", "week", "month", "year"), bucket length and points, oldest first.</summary>
public sealed record MailPeriod(string Name, int StepSeconds, IReadOnlyList<MailPoint> Points);

/// <summary>
/// One bucket, starting at <paramref name="Start"/> and <see cref="MailPeriod.StepSeconds"/> long: messages counted in it
/// per series (null where the RRD has no data for it).
/// </summary>
public sealed record MailPoint(DateTimeOffset Start, MailCounts Counts)
{
    /// <summary>
    /// The bucket in progress, the last of its period: it holds only the minutes from <see cref="Start"/> to
    /// <see cref="MailTraffic.LastUpdate"/> (that minute included), the rest of it is still to come.
    /// </summary>
    public bool Partial { get; init; }
}

public sealed record MailCounts(double? Sent, double? Received, double? Bounced, double? Rejected, double? Spam, double? Virus)
{
    /// <summary>The series in the order the page and reports draw them.</summary>
    public static IReadOnlyList<string> SeriesNames { get; } = ["sent", "received", "bounced", "rejected", "spam", "virus"];

    public IReadOnlyList<double?> Values => [Sent, Received, Bounced, Rejected, Spam, Virus];
}
