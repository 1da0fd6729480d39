using System.Text;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Engine;

/// <summary>
/// Reads every fact a host's plan needs in one remote command: each provider contributes one fragment for all
/// of its resources, the fragments are joined into one script, and the answer is split back per provider.
/// The same script reads the host's state file, and for apply takes the lock first (<paramref name="acquire"/>) or
/// releases it last (<paramref name="release"/>), so the reconciler's bookkeeping costs no round trip of its own.
/// </summary>
internal static class FactReader
{
    private const string LockSection = "reconciler-lock";

    /// <summary>
    /// The largest fact script one host is sent. Per run, not per resource: 285,000 sysctls made a 50 MB script that
    /// took the controller's memory and segfaulted the host's shell. Honest hosts need kilobytes (about 200 bytes a
    /// resource); 8 MiB holds every resource the spec budget allows on one host.
    /// </summary>
    public const int MaxScriptBytes = 8 * 1024 * 1024;

    /// <summary>
    /// Why <paramref name="host"/>'s fact script is too large to send, or null. Checked before connecting: the fragments
    /// are built once more, which costs kilobytes for an honest host and at most the limit for any other.
    /// </summary>
    public static string? ScriptTooLarge(HostDesiredState host, ProviderRegistry providers)
    {
        long bytes = 0;
        foreach (var group in host.Resources.GroupBy(providers.For))
        {
            bytes += Encoding.UTF8.GetByteCount(group.Key.ReadScript(group.ToList()));
            if (bytes > MaxScriptBytes)
            {
                return $"its fact script would be more than {MaxScriptBytes / 1024 / 1024} MiB ({host.Resources.Count} resources); " +
                       "the host was not contacted (declare fewer resources for one host)";
            }
        }

        return null;
    }

    public static async Task<IReadOnlyList<PlannedResource>> ReadAndDiffAsync(
        IHostSession session, HostDesiredState host, ProviderRegistry providers, CancellationToken ct) =>
        (await ReadAsync(session, host, providers, null, null, null, PlanKey.Ephemeral, ct)).Planned;

    public static async Task<FactRead> ReadAsync(
        IHostSession session, HostDesiredState host, ProviderRegistry providers,
        HostRecord? record, HostLock? acquire, HostLock? release, PlanKey key, CancellationToken ct, RetainedFacts? retained = null)
    {
        var sections = ScriptSections.Create();
        var groups = host.Resources.GroupBy(providers.For).ToList();
        var script = new StringBuilder("LC_ALL=C; export LC_ALL\n");
        if (acquire is not null)
        {
            // Taken before anything is read; a lock not acquired ends the script, and the host is not planned.
            script.AppendLine(sections.Begin(LockSection));
            script.AppendLine("rc_lock_out=$( (").AppendLine(acquire.AcquireScript()).AppendLine(") 2>&1 )");
            script.AppendLine("printf '%s\\n' \"$rc_lock_out\"");
            script.AppendLine(sections.End(LockSection, "0"));
            script.AppendLine("case \"$rc_lock_out\" in acquired|taken-over*) ;; *) exit 0 ;; esac");
        }

        if (record is not null)
        {
            script.AppendLine(sections.Begin(HostRecord.Section)).AppendLine(record.ReadScript()).AppendLine(sections.End(HostRecord.Section));
        }

        foreach (var group in groups)
        {
            script.AppendLine(sections.Begin(group.Key.Kind));
            script.AppendLine("(");
            script.AppendLine(group.Key.ReadScript(group.ToList()));
            script.AppendLine(")");
            script.AppendLine(sections.End(group.Key.Kind));
        }

        if (release is not null)
        {
            script.AppendLine("(").AppendLine(release.ReleaseScript()).AppendLine(") >/dev/null 2>&1");
        }

        var result = await session.RunScriptAsync(script.ToString(), ct);
        try
        {
            // Charged before parsing: an answer the run cannot keep is not turned into facts at all.
            if (retained is not null && !retained.TryKeep(result.Stdout.Length))
            {
                throw new TransportException(retained.Refusal(result.Stdout.Length));
            }

            return Interpret(result, sections, host, groups, providers, record, acquire, key);
        }
        catch (MalformedFactsException e)
        {
            // Only this host's answer is bad: it gets the reason as its error and every other host is still planned.
            // The reason may quote the host (a tag, a key), so it is cut like any other line quoted from the host.
            throw new TransportException($"malformed answer from the host: {Shorten(e.Message)}", e);
        }
        finally
        {
            // The raw answer is parsed into facts and dropped: its share of the run's output budget goes back.
            session.ReleaseOutput();
        }
    }

    private static FactRead Interpret(
        ScriptResult result, ScriptSections sections, HostDesiredState host, List<IGrouping<IResourceProvider, Resource>> groups,
        ProviderRegistry providers, HostRecord? record, HostLock? acquire, PlanKey key)
    {
        var output = sections.Parse(result.Stdout);
        LockAnswer? lockAnswer = null;
        if (acquire is not null)
        {
            lockAnswer = output.TryGetValue(LockSection, out var answer)
                ? HostLock.Parse(answer.Lines)
                : new LockAnswer(LockStatus.Held, null, null, FirstLine(result.Stderr) ?? $"the lock script ended with exit code {result.ExitCode}");
            if (!lockAnswer.Acquired) return new FactRead([], null, lockAnswer);
        }

        var stateLines = record is not null && output.TryGetValue(HostRecord.Section, out var state) ? state.Lines : null;
        var applied = stateLines is null ? null : HostRecord.Parse(stateLines);
        var observed = new Dictionary<Resource, object>(ReferenceEqualityComparer.Instance);
        foreach (var group in groups)
        {
            if (!output.TryGetValue(group.Key.Kind, out var section) || section.ExitCode != 0)
            {
                var why = FirstLine(result.Stderr) ?? $"exit code {(section.Lines is null ? result.ExitCode : section.ExitCode)}";
                throw new TransportException($"reading {group.Key.Kind} facts failed: {why}");
            }

            var facts = group.Key.ParseFacts(group.ToList(), section.Lines);
            foreach (var (resource, fact) in group.Zip(facts))
            {
                observed[resource] = fact;
            }
        }

        var planned = host.Resources.Select(r =>
        {
            var provider = providers.For(r);
            var change = providers.Diff(provider, r, observed[r], key) with { Fingerprint = LiveFingerprint.Of(observed[r], key) };
            return new PlannedResource(r, provider, observed[r], change) { Guard = providers.GuardOf(provider) };
        }).ToList();
        return new FactRead(planned, applied, lockAnswer) { LastApply = stateLines is null ? null : HostRecord.ParseLastApply(stateLines) };
    }

    public static HostPlan ToHostPlan(string host, IEnumerable<PlannedResource> planned) =>
        new(host, planned.Select(p => p.Change).ToList());

    /// <summary>Longest stderr line quoted in a host's error: enough to act on, too short to flood a report.</summary>
    private const int MaxQuoted = 300;

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() is { } line ? Shorten(line) : null;

    private static string Shorten(string line) => line.Length <= MaxQuoted ? line : line[..MaxQuoted] + "…";
}
