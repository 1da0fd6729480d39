namespace Reconciler.Core.Engine;

/// <summary>
/// What one plan may keep of its hosts' answers until the plan is written, across ALL hosts together. The transport's
/// output budget bounds the raw answers while they are read, and gives a host's share back once its answer is parsed —
/// but the parsed facts (file text shown in a diff, live values, row digests) stay until the run ends, so many hosts
/// each answering just under that budget would still add up. Class closed here: memory is budgeted per run, not per
/// host. A host's answer is charged at its length in characters before it is parsed (the facts kept from an answer
/// are never larger than the answer: they are pieces of it, and decoding base64 only shrinks it).
/// </summary>
public sealed class RetainedFacts(long maxChars = RetainedFacts.DefaultChars)
{
    /// <summary>
    /// 64 Mi characters (128 MiB as .NET strings). An honest answer is kilobytes (about 100 bytes a resource, a shown file
    /// at most 64 KiB), so this holds the answers of thousands of hosts.
    /// </summary>
    public const long DefaultChars = 64L * 1024 * 1024;

    private long _kept;

    public long MaxChars { get; } = maxChars;

    /// <summary>Charges <paramref name="chars"/> of an answer about to be parsed; false when the run's budget is spent.</summary>
    public bool TryKeep(long chars)
    {
        var after = Interlocked.Add(ref _kept, chars);
        if (after <= MaxChars) return true;
        Interlocked.Add(ref _kept, -chars);
        return false;
    }

    /// <summary>The host's one-line error when its answer does not fit.</summary>
    public string Refusal(long chars) =>
        $"this run's budget for facts kept until the plan is written ({MaxChars / 1024 / 1024} Mi characters across all hosts) " +
        $"has no room for this host's answer ({chars} characters); the host is not planned (a host answering this much is " +
        "broken or hostile, or the specs declare too much for one run)";
}
