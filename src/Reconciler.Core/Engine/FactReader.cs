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

    /// <summary>A read that takes no lock still says whether one is held (plan and drift show it).</summary>
    private const string HeldLockSection = "reconciler-lock-held";

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
        var asked = new HashSet<FactQuery>();
        foreach (var group in host.Resources.GroupBy(providers.For))
        {
            foreach (var query in group.Key.Queries(group.ToList()).Where(asked.Add))
            {
                bytes += Encoding.UTF8.GetByteCount(query.Script);
                if (bytes > MaxScriptBytes)
                {
                    return $"its fact script would be more than {MaxScriptBytes / 1024 / 1024} MiB ({host.Resources.Count} resources); " +
                           "the host was not contacted (declare fewer resources for one host)";
                }
            }
        }

        return null;
    }

    public static async Task<IReadOnlyList<PlannedResource>> ReadAndDiffAsync(
        IHostSession session, HostDesiredState host, ProviderRegistry providers, CancellationToken ct) =>
        (await ReadAsync(session, host, providers, null, null, null, PlanKey.Ephemeral, ct)).Planned;

    public static async Task<FactRead> ReadAsync(
        IHostSession session, HostDesiredState host, ProviderRegistry providers,
        HostRecord? record, HostLock? acquire, HostLock? release, PlanKey key, CancellationToken ct, RetainedFacts? retained = null,
        ControllerPorts? outside = null, IReadOnlyList<Resource>? monitors = null)
    {
        var sections = ScriptSections.Create();
        // A monitoring run's health and mail reads ride in the same script; the rest of the read never sees them.
        var asked = Ask([.. host.Resources, .. monitors ?? []], providers);
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
            if (acquire is null)
            {
                script.AppendLine(sections.Begin(HeldLockSection)).AppendLine(HostLock.InspectScript(record.Root)).AppendLine(sections.End(HeldLockSection));
            }
        }

        // Each query in a section of its own: a parser sees only its own query's lines, whatever tags another unit prints.
        foreach (var (query, section) in asked.Framed)
        {
            script.AppendLine(sections.Begin(section));
            script.AppendLine("(");
            // A read is one snapshot: each directory on the way to its paths is stat'ed once (rc_dir_stat).
            script.AppendLine("rc_memo=1");
            script.AppendLine(query.Script);
            script.AppendLine(")");
            script.AppendLine(sections.End(section));
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

            var output = sections.Parse(result.Stdout);
            var (read, observed) = Interpret(result, output, asked, providers, record, acquire);
            if (observed is null) return read;
            if (monitors is not null)
            {
                read = read with { Monitoring = Judge(asked, result, output) };
            }

            await ObserveFromControllerAsync(host, observed, providers, outside ?? ControllerPorts.None, ct);
            // A resource declared with a glob path is planned as its matches, each its own change (GlobExpansion).
            return read with { Planned = ChangeGroups.Plan(GlobExpansion.Plan(host.Resources, observed, providers, key)) };
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

    /// <summary>
    /// What the controller reads itself for the resources whose kinds keep state off the host (a domain's DNS records),
    /// after the host answered and before anything is diffed, so a plan holds both. Each resource's providers ask in turn;
    /// their failures are values in what they return.
    /// </summary>
    private static async Task ObserveFromControllerAsync(
        HostDesiredState host, Dictionary<Resource, object> observed, ProviderRegistry providers, ControllerPorts outside, CancellationToken ct)
    {
        foreach (var resource in host.Resources)
        {
            if (providers.For(resource) is IControllerFacts controller && observed.TryGetValue(resource, out var fact))
            {
                observed[resource] = await controller.ObserveAsync(resource, fact, outside.For(resource), ct);
            }
        }
    }

    private static (FactRead Read, Dictionary<Resource, object>? Observed) Interpret(
        ScriptResult result, Dictionary<string, (List<string> Lines, int ExitCode)> output, AskedQueries asked,
        ProviderRegistry providers, HostRecord? record, HostLock? acquire)
    {
        LockAnswer? lockAnswer = null;
        if (acquire is not null)
        {
            lockAnswer = output.TryGetValue(LockSection, out var answer)
                ? HostLock.Parse(answer.Lines)
                : new LockAnswer(LockStatus.Held, null, null, FirstLine(result.Stderr) ?? $"the lock script ended with exit code {result.ExitCode}");
            if (!lockAnswer.Acquired) return (new FactRead([], null, lockAnswer), null);
        }

        var stateLines = record is not null && output.TryGetValue(HostRecord.Section, out var state) ? state.Lines : null;
        var applied = stateLines is null ? null : HostRecord.Parse(stateLines);
        var observed = new Dictionary<Resource, object>(ReferenceEqualityComparer.Instance);
        foreach (var (provider, resources, queries) in asked.Providers.Where(p => p.Provider is not IMonitorProvider))
        {
            var answers = Answers(queries, asked, output, result, (unit, why) => new TransportException($"reading {unit} facts failed: {why}"));
            var facts = provider.ParseFacts(resources, answers);
            foreach (var (resource, fact) in resources.Zip(facts))
            {
                observed[resource] = fact;
            }
        }

        var held = acquire is null && output.TryGetValue(HeldLockSection, out var heldAnswer) ? HostLock.ParseHeld(heldAnswer.Lines) : null;
        return (new FactRead([], applied, lockAnswer) { LastApply = stateLines is null ? null : HostRecord.ParseLastApply(stateLines), HeldLock = held }, observed);
    }

    /// <summary>
    /// Judges the monitored kinds' answers (<see cref="IMonitorProvider"/>). Each kind's failure — its section missing or
    /// failed, its answer malformed — is that kind's line in the result's errors; the host's plan stands.
    /// </summary>
    private static Monitoring.HostMonitoring Judge(AskedQueries asked, ScriptResult result, Dictionary<string, (List<string> Lines, int ExitCode)> output)
    {
        var parts = new List<Monitoring.HostMonitoring>();
        foreach (var (provider, resources, queries) in asked.Providers.Where(p => p.Provider is IMonitorProvider))
        {
            try
            {
                var answers = Answers(queries, asked, output, result, (unit, why) => new MalformedFactsException($"reading {unit} failed: {why}"));
                parts.Add(((IMonitorProvider)provider).Judge(resources, provider.ParseFacts(resources, answers)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Every failure of a monitored kind is that kind's line, whatever its type (an answer that overflows a
                // conversion as well as a malformed one): a host's health figures can never end the drift run or its plan.
                var why = e is MalformedFactsException ? e.Message : $"its answer could not be judged ({e.GetType().Name})";
                parts.Add(new Monitoring.HostMonitoring { Errors = [$"{provider.Kind}: {Shorten(why)}"] });
            }
        }

        return Monitoring.HostMonitoring.Merge(parts);
    }

    /// <summary>
    /// One provider's answers, each query's section by its unit; a section missing or failed is <paramref name="failed"/>
    /// (its unit and why: the host's first stderr line, else the exit code) — the host's error for a planned kind, the
    /// kind's own line for a monitored one.
    /// </summary>
    private static FactAnswers Answers(
        IReadOnlyList<FactQuery> queries, AskedQueries asked, Dictionary<string, (List<string> Lines, int ExitCode)> output, ScriptResult result,
        Func<string, string, Exception> failed)
    {
        var answers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var query in queries)
        {
            if (!output.TryGetValue(asked.Sections[query], out var section) || section.ExitCode != 0)
            {
                throw failed(query.Unit, FirstLine(result.Stderr) ?? $"exit code {(section.Lines is null ? result.ExitCode : section.ExitCode)}");
            }

            answers[query.Unit] = section.Lines;
        }

        return new FactAnswers(answers);
    }

    /// <summary>
    /// What each provider asks for a host's resources, and the one section each distinct query is answered in (equal
    /// queries from several providers share it). A provider asking two queries of one unit could not tell their answers apart.
    /// </summary>
    private static AskedQueries Ask(IReadOnlyList<Resource> all, ProviderRegistry providers)
    {
        var asked = new List<(IResourceProvider, IReadOnlyList<Resource>, IReadOnlyList<FactQuery>)>();
        var sections = new Dictionary<FactQuery, string>();
        var framed = new List<(FactQuery, string)>();
        var names = new HashSet<string>(StringComparer.Ordinal) { LockSection, HeldLockSection, HostRecord.Section };
        foreach (var group in all.GroupBy(providers.For))
        {
            var resources = group.ToList();
            var queries = group.Key.Queries(resources);
            if (queries.GroupBy(q => q.Unit).FirstOrDefault(u => u.Count() > 1) is { } twice)
            {
                throw new InvalidOperationException($"{group.Key.Kind} asks two fact queries of unit '{twice.Key}'");
            }

            foreach (var query in queries.Where(q => !sections.ContainsKey(q)))
            {
                var name = query.Unit;
                for (var n = 2; !names.Add(name); n++)
                {
                    name = $"{query.Unit} {n}";
                }

                sections[query] = name;
                framed.Add((query, name));
            }

            asked.Add((group.Key, resources, queries));
        }

        return new AskedQueries(asked, framed);
    }

    public static HostPlan ToHostPlan(string host, IEnumerable<PlannedResource> planned) =>
        new(host, planned.Select(p => p.Change).ToList());

    /// <summary>Longest stderr line quoted in a host's error: enough to act on, too short to flood a report.</summary>
    private const int MaxQuoted = 300;

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() is { } line ? Shorten(line) : null;

    private static string Shorten(string line) => Excerpt.Cut(line, MaxQuoted);
}
