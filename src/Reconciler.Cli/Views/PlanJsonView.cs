using System.Text.Json;
using System.Text.Json.Serialization;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Views;

/// <summary>
/// The machine-readable plan, described by schemas/plan.schema.json. Sensitive values are never written. It is also
/// the artifact <c>apply --plan</c> reads back: the commit and digest of the desired state planned, each host's digest
/// and applied commit, and per resource the fingerprint of the live state it was planned against. Digests and
/// fingerprints are keyed HMACs (<see cref="PlanKey"/>); <c>digest_key</c> names the key without revealing it.
/// </summary>
internal static class PlanJsonView
{
    public const string FormatVersion = "3";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // Health and mail figures a shard carries for merge are doubles; a host's odd reading must not end the run.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // Figures the core derives (a percentage, a summary line) are not data: they are computed again when read back.
        IgnoreReadOnlyProperties = true,
    };

    /// <summary>
    /// A plan read back (a shard's part for merge, a saved plan for apply) came from a file another job wrote, so every
    /// field is held to its declared shape: a null or missing field the document does not declare nullable, and a null
    /// item in any list, are refused as not a plan — the same one line as malformed JSON — instead of reaching the merge
    /// or the views as a null they never expect.
    /// </summary>
    private static readonly JsonSerializerOptions ReadOptions = new(Options)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new NoNullItems() },
    };

    public static string Render(Plan plan, DateTimeOffset generatedAt) =>
        JsonSerializer.Serialize(ToDocument(plan, generatedAt), Options);

    internal static PlanDocument ToDocument(Plan plan, DateTimeOffset generatedAt)
    {
        var monitored = HostFindings.Monitored(plan);
        var counts = DriftCounts.Of(plan);
        // A shard also carries what only the reports show (last apply, held lock, health and mail figures), so that
        // merge renders the shards' hosts exactly as the unsharded run would; a whole run's JSON stays as it was.
        var forMerge = plan.Shard is not null;
        return new(
        FormatVersion,
        generatedAt.ToString("O"),
        plan.Commit,
        plan.BaseCommit,
        plan.KeyId,
        plan.Digest,
        new SummaryDocument(
            plan.Count(ChangeAction.Create), plan.Count(ChangeAction.Update), plan.Count(ChangeAction.Delete),
            plan.Count(ChangeAction.Skip), plan.Count(ChangeAction.Blocked), plan.Hosts.Count, counts.Unreachable)
        {
            HostsHostKeyMismatch = counts.HostKeyMismatch,
            HostsNeedingAttention = monitored ? counts.NeedsAttention : null,
            FindingsBreached = monitored ? counts.Breached : null,
            MonitoringErrors = monitored ? counts.MonitoringErrors : null,
        },
        plan.RemovedHosts,
        plan.Hosts.Select(h => new HostDocument(
            h.Host,
            h.Error is not null ? (h.HostKeyMismatch ? HostKeyMismatchStatus : "unreachable") : h.NotContacted is not null ? "not_contacted" : h.HasErrors ? "blocked" : h.HasChanges ? "changes" : "in_sync",
            h.Error,
            h.Digest,
            h.Applied is { } a ? new AppliedDocument(a.Commit, a.At, a.Controller, a.CommitsBehind, a.CommitKnown) : null,
            h.Changes.Select(c => new ChangeDocument(
                c.Address.ToString(), c.Address.Kind, c.Address.Name, c.Action.Verb(), c.Note, c.Fingerprint,
                new SourceDocument(c.Source.File, c.Source.Line, c.Source.Column),
                c.Attributes.Select(AttributeDocument.Of).ToList()) { MatchedBy = c.MatchedBy }).ToList())
        {
            NotContacted = h.NotContacted,
            Monitoring = h.Monitoring is { } m ? MonitoringDocument.Of(m, forMerge) : null,
            LastApply = forMerge ? h.LastApply : null,
            HeldLock = forMerge && h.HeldLock is { } held ? new HeldLockDocument(held.Holder, held.HolderAsRead, held.Since, held.AgeSeconds) : null,
        }).ToList())
        {
            Shard = plan.Shard is { } shard ? new ShardDocument(shard.Shard.Index, shard.Shard.Count, shard.Run, shard.Digest, shard.Hosts) : null,
        };
    }

    /// <summary>Reads a plan written by <see cref="Render"/> back, for <c>apply --plan</c>.</summary>
    /// <exception cref="FormatException">Not a plan of this format version; the message says why in one line.</exception>
    public static Plan Parse(string json) => ParseWithTime(json).Plan;

    /// <summary>As <see cref="Parse"/>, with the time the live state was read (merge keeps the earliest shard's).</summary>
    /// <exception cref="FormatException">Not a plan of this format version; the message says why in one line.</exception>
    public static (Plan Plan, DateTimeOffset GeneratedAt) ParseWithTime(string json)
    {
        PlanDocument? document;
        try
        {
            // The version first, read leniently: a plan of another version is told so, not what its shape lacks.
            if (JsonSerializer.Deserialize<VersionDocument>(json, Options)?.FormatVersion is var version && version != FormatVersion)
            {
                throw new FormatException($"not a reconciler plan of format_version \"{FormatVersion}\" (found {(version is { } v ? $"\"{v}\"" : "none")}); re-plan with this version");
            }

            document = JsonSerializer.Deserialize<PlanDocument>(json, ReadOptions);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not a reconciler plan: {e.Message}", e);
        }

        if (document is null)
        {
            throw new FormatException("not a reconciler plan: the document is null");
        }

        if (!DateTimeOffset.TryParse(document.GeneratedAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var generatedAt))
        {
            throw new FormatException($"not a reconciler plan: generated_at '{document.GeneratedAt}' is not a date-time");
        }

        var plan = new Plan(document.Hosts.Select(h => new HostPlan(
            h.Name,
            (h.Changes ?? []).Select(c => new ResourceChange(
                new ResourceAddress(c.Kind, c.Name),
                ParseAction(c.Action),
                (c.Attributes ?? []).Select(a => a.ToChange()).ToList(),
                new SourceLocation(c.Source.File, c.Source.Line, c.Source.Column),
                c.Note) { Fingerprint = c.Fingerprint, MatchedBy = c.MatchedBy }).ToList(),
            h.Error)
        {
            HostKeyMismatch = h.Status == HostKeyMismatchStatus,
            Digest = h.Digest,
            NotContacted = h.NotContacted,
            Applied = h.Applied is { } a ? new AppliedState(a.Commit, a.At, a.Controller) { CommitsBehind = a.CommitsBehind, CommitKnown = a.CommitKnown } : null,
            Monitoring = h.Monitoring?.ToMonitoring(),
            LastApply = h.LastApply,
            HeldLock = h.HeldLock is { } held ? new HeldLock(held.Holder, held.Since, held.AgeSeconds) { HolderAsRead = held.HolderAsRead } : null,
        }).ToList())
        {
            Commit = document.Commit,
            BaseCommit = document.BaseCommit,
            KeyId = document.DigestKey,
            Digest = document.Digest,
            RemovedHosts = document.RemovedHosts ?? [],
            Shard = document.Shard?.ToShard(),
        };
        return (plan, generatedAt);
    }

    /// <summary>Reads every list of reference items (hosts, changes, attributes, findings, names) refusing a null item.</summary>
    private sealed class NoNullItems : JsonConverterFactory
    {
        public override bool CanConvert(Type type) =>
            type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) && !type.GetGenericArguments()[0].IsValueType;

        public override JsonConverter CreateConverter(Type type, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(Items<>).MakeGenericType(type.GetGenericArguments()[0]))!;

        private sealed class Items<T> : JsonConverter<IReadOnlyList<T>>
            where T : class
        {
            public override IReadOnlyList<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            {
                var items = JsonSerializer.Deserialize<List<T?>>(ref reader, options)!;
                return items.Contains(null) ? throw new JsonException("a list holds null where an item is expected") : items.ConvertAll(item => item!);
            }

            public override void Write(Utf8JsonWriter writer, IReadOnlyList<T> value, JsonSerializerOptions options) =>
                JsonSerializer.Serialize(writer, value.ToList(), options);
        }
    }

    private static ChangeAction ParseAction(string verb) =>
        Enum.GetValues<ChangeAction>().Where(a => a.Verb() == verb).Select(a => (ChangeAction?)a).FirstOrDefault()
            ?? throw new FormatException($"not a reconciler plan: unknown action '{verb}'");

    private sealed record VersionDocument(string? FormatVersion);

    internal sealed record PlanDocument(
        string FormatVersion, string GeneratedAt, string? Commit, string? BaseCommit, string? DigestKey, string? Digest, SummaryDocument Summary,
        IReadOnlyList<string> RemovedHosts, IReadOnlyList<HostDocument> Hosts)
    {
        /// <summary>Written only by a <c>--shard K/N</c> run: which part this is, of which run (see <see cref="PlanShard"/>).</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public ShardDocument? Shard { get; init; }
    }

    /// <param name="Digest">The desired-state digest of every selected host, which all shards of one run share.</param>
    /// <param name="Hosts">Every selected host of the run, in order.</param>
    internal sealed record ShardDocument(int Index, int Count, string Run, string? Digest, IReadOnlyList<string> Hosts)
    {
        /// <exception cref="FormatException">The numbers are not a shard K/N, or the run is neither a plan nor a drift run.</exception>
        public PlanShard ToShard() =>
            Core.Model.Shard.Create(Index, Count) is not { } shard
                ? throw new FormatException($"not a reconciler plan: shard {Index}/{Count} is not K/N with {Core.Model.Shard.Range}")
                : Run is not (PlanShard.PlanRun or PlanShard.DriftRun)
                    ? throw new FormatException($"not a reconciler plan: shard run '{Run}' is neither '{PlanShard.PlanRun}' nor '{PlanShard.DriftRun}'")
                    : new PlanShard(shard, Run, Digest, Hosts ?? []);
    }

    /// <summary>A held lock as a shard read it, for merge (<see cref="HeldLock"/>).</summary>
    internal sealed record HeldLockDocument(string Holder, string HolderAsRead, string? Since, long? AgeSeconds);

    private const string HostKeyMismatchStatus = "host_key_mismatch";

    /// <summary><paramref name="HostsUnreachable"/> does not count a host key mismatch: <see cref="HostsHostKeyMismatch"/> does.</summary>
    internal sealed record SummaryDocument(int Create, int Update, int Delete, int Skip, int Blocked, int Hosts, int HostsUnreachable)
    {
        /// <summary>Written only when a host has one, so a plan without is as every earlier version wrote it.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
        public int HostsHostKeyMismatch { get; init; }

        /// <summary>
        /// Written only by a run that read monitored kinds (drift): hosts in sync whose monitoring needs attention (the
        /// reports' "needs attention"), breached rules and monitoring errors over all hosts — the counts drift.md states.
        /// </summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public int? HostsNeedingAttention { get; init; }

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public int? FindingsBreached { get; init; }

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public int? MonitoringErrors { get; init; }
    }

    internal sealed record HostDocument(string Name, string Status, string? Error, string? Digest, AppliedDocument? Applied, IReadOnlyList<ChangeDocument> Changes)
    {
        /// <summary>Why the host was not contacted; left out for every host that was (so plans of trusted hosts are unchanged).</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? NotContacted { get; init; }

        /// <summary>What a drift run judged of the host's health (every rule, breached or not) and which monitored kinds failed; left out of a pull request's plan.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public MonitoringDocument? Monitoring { get; init; }

        /// <summary>Shards only (for merge): how the host recorded its last apply's end.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public LastApply? LastApply { get; init; }

        /// <summary>Shards only (for merge): the apply lock held on the host when it was read.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public HeldLockDocument? HeldLock { get; init; }
    }

    internal sealed record MonitoringDocument(bool NeedsAttention, IReadOnlyList<FindingDocument> Findings, IReadOnlyList<string> Errors)
    {
        /// <summary>Shards only (for merge): the health figures as read, which fleet.html draws.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public Core.Monitoring.HealthFacts? Health { get; init; }

        /// <summary>Shards only (for merge): the mail traffic history as read, which fleet.html draws.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public Core.Monitoring.MailTraffic? Mail { get; init; }

        public static MonitoringDocument Of(Core.Monitoring.HostMonitoring m, bool forMerge) => new(
            m.NeedsAttention,
            m.Findings.Select(f => new FindingDocument(f.Rule, f.Subject, f.Value, f.Threshold, f.Breached, f.Source)).ToList(),
            m.Errors)
        {
            Health = forMerge ? m.Health : null,
            Mail = forMerge ? m.Mail : null,
        };

        public Core.Monitoring.HostMonitoring ToMonitoring() => new()
        {
            Findings = (Findings ?? []).Select(f => new Core.Monitoring.HealthFinding(f.Rule, f.Subject, f.Value, f.Threshold, f.Breached, f.Source)).ToList(),
            Errors = Errors ?? [],
            Health = Health,
            Mail = Mail,
        };
    }

    internal sealed record FindingDocument(string Rule, string Subject, string Value, string Threshold, bool Breached, string Source);

    internal sealed record AppliedDocument(string? Commit, string? At, string? Controller, int? CommitsBehind, bool? CommitKnown);

    internal sealed record ChangeDocument(
        string Address, string Kind, string Name, string Action, string? Note, string? Fingerprint, SourceDocument Source, IReadOnlyList<AttributeDocument> Attributes)
    {
        /// <summary>The declared glob path this change's path matched; left out for a path declared as it is (those plans are unchanged).</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? MatchedBy { get; init; }
    }

    internal sealed record SourceDocument(string File, int Line, int Column);

    /// <summary>
    /// One attribute change. <c>before</c> and <c>after</c> are what a reader of plain values shows (null when absent or
    /// sensitive); a side that is not plain text also says what it is, so reading the plan back gives the same typed
    /// values: <c>before_withheld</c>/<c>after_withheld</c> (why the host did not disclose it, and what is known) and
    /// <c>before_deleted</c>/<c>after_deleted</c>. Each is written only when true, so a plan without such values has
    /// exactly the shape it always had, and a plan without them (an older one) reads every side as plain text.
    /// A secret writes neither side and reads back sensitive on both: views show only that it changes.
    /// </summary>
    internal sealed record AttributeDocument(string Name, string? Before, string? After, bool Sensitive)
    {
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public WithheldDocument? BeforeWithheld { get; init; }

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public WithheldDocument? AfterWithheld { get; init; }

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public bool? BeforeDeleted { get; init; }

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public bool? AfterDeleted { get; init; }

        public static AttributeDocument Of(AttributeChange change) =>
            new(change.Name.Text, change.Sensitive ? null : Plain(change.Before), change.Sensitive ? null : Plain(change.After), change.Sensitive)
            {
                BeforeWithheld = change.Sensitive ? null : WithheldDocument.Of(change.Before),
                AfterWithheld = change.Sensitive ? null : WithheldDocument.Of(change.After),
                BeforeDeleted = change.Before is PlanValue.Deleted && !change.Sensitive ? true : null,
                AfterDeleted = change.After is PlanValue.Deleted && !change.Sensitive ? true : null,
            };

        public AttributeChange ToChange() => Sensitive
            ? AttributeChange.Secret(new AttributeName(Name), before: true, after: true)
            : new AttributeChange(new AttributeName(Name), Value(Before, BeforeWithheld, BeforeDeleted), Value(After, AfterWithheld, AfterDeleted));

        private static PlanValue Value(string? plain, WithheldDocument? withheld, bool? deleted) =>
            withheld is not null ? new PlanValue.Withheld(withheld.Reason, withheld.Known)
            : deleted == true ? new PlanValue.Deleted()
            : PlanValue.Of(plain);

        /// <summary>What a reader of plain values sees: the text, the withheld line or "deleted"; null when absent.</summary>
        private static string? Plain(PlanValue value) => value switch
        {
            PlanValue.Text text => text.Value,
            PlanValue.Withheld withheld => withheld.Shown,
            PlanValue.Deleted => PlanValue.Deleted.Shown,
            _ => null,
        };
    }

    internal sealed record WithheldDocument(string Reason, string Known)
    {
        public static WithheldDocument? Of(PlanValue value) => value is PlanValue.Withheld w ? new(w.Reason, w.Known) : null;
    }
}
