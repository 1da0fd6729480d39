using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Sysctl;

public sealed class SysctlProvider : ResourceProvider<SysctlResource, SysctlObserved>
{
    public override string Kind => SysctlResource.KindName;

    protected override string ReadScript(IReadOnlyList<SysctlResource> resources)
    {
        var script = new StringBuilder();
        for (var i = 0; i < resources.Count; i++)
        {
            script.AppendLine($"if [ -f {Sh.Quote(resources[i].PersistFile)} ]; then printf 'M\\t{i}\\n'; fi");
        }

        return script.ToString();
    }

    protected override IReadOnlyList<FactQuery> SharedQueries(IReadOnlyList<SysctlResource> resources) =>
        SysctlFacts.Queries(resources.Select(r => r.Key).ToList());

    protected override IReadOnlyList<SysctlObserved> ParseFacts(IReadOnlyList<SysctlResource> resources, FactAnswers answers)
    {
        var facts = SysctlFacts.Parse(resources.Select(r => r.Key).ToList(), answers);
        var lines = answers[Kind];
        var managed = ByIndex(lines.Where(l => l.StartsWith("M\t", StringComparison.Ordinal)), resources.Count);
        return facts.Select((f, i) => new SysctlObserved(f.Live, f.Persisted, f.PersistedIn, managed[i].Any())
        {
            LiveClosed = f.LiveClosed,
            PersistedClosed = f.PersistedClosed,
            Assignments = f.Assignments,
        }).ToList();
    }

    protected override ResourceChange Diff(SysctlResource desired, SysctlObserved observed)
    {
        if (observed.Live is null)
        {
            return ResourceChange.Blocked(desired, $"the kernel on this host has no parameter {desired.Key} ({desired.ProcPath} does not exist)");
        }

        var want = SysctlResource.Normalize(desired.Value);
        var overrides = Overrides(desired, observed);
        if (OverrideProblem(desired, overrides) is { } problem)
        {
            return ResourceChange.Blocked(desired, problem);
        }

        var changes = new List<AttributeChange>();
        if (observed.Persisted != want)
        {
            PlanValue before = observed.Persisted is null ? new PlanValue.Absent()
                : observed.PersistedClosed ? new PlanValue.Withheld($"{observed.PersistedIn} is not world-readable", "value differs")
                : new PlanValue.Text($"{observed.Persisted} ({observed.PersistedIn})");
            changes.Add(new AttributeChange(SysctlAttributeNames.Persisted, before, new PlanValue.Text($"{want} ({desired.PersistFile})")));
        }

        if (observed.Live != want)
        {
            changes.Add(new AttributeChange(SysctlAttributeNames.Live,
                observed.LiveClosed ? new PlanValue.Withheld($"{desired.ProcPath} is not world-readable", "value differs") : PlanValue.Of(observed.Live), PlanValue.Of(want)));
        }

        changes.AddRange(overrides.Select(o => new AttributeChange(SysctlAttributeNames.Override,
            new PlanValue.Text($"{o.At} sets {o.Shown}"), new PlanValue.Text($"commented out ({desired.OverrideMarker.TrimEnd()} …)"))));
        if (changes.Count == 0)
        {
            return ResourceChange.NoOp(desired);
        }

        var action = observed.Persisted is null && !observed.ManagedFileExists ? ChangeAction.Create : ChangeAction.Update;
        var note = overrides.Count == 0 ? null
            : $"boot would override {desired.PersistFile} with {string.Join(", ", overrides.Select(o => o.At))}: apply comments {(overrides.Count == 1 ? "that line" : "those lines")} out";
        return new ResourceChange(desired.Address, action, changes, desired.Source, note);
    }

    /// <summary>
    /// The assignments boot reads after <see cref="SysctlResource.PersistFile"/> — a file whose name sorts after it, or
    /// /etc/sysctl.conf, which <c>sysctl --system</c> reads last — that set another value: each would win at boot.
    /// </summary>
    internal static IReadOnlyList<SysctlAssignment> Overrides(SysctlResource desired, SysctlFacts observed)
    {
        var want = SysctlResource.Normalize(desired.Value);
        var ours = FileName(desired.PersistFile);
        return observed.Assignments
            .Where(a => a.File == SysctlFacts.FinalFile || string.CompareOrdinal(FileName(a.File), ours) > 0)
            .Where(a => SysctlResource.Normalize(a.Value) != want)
            .ToList();
    }

    private static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary>Why the overrides block the sysctl instead of being commented out, or null.</summary>
    private static string? OverrideProblem(SysctlResource desired, IReadOnlyList<SysctlAssignment> overrides)
    {
        if (overrides.Count == 0)
        {
            return null;
        }

        var lines = string.Join(", ", overrides.Select(o => $"{o.At} ({o.Shown})"));
        if (overrides.FirstOrDefault(o => o.Pattern is not null) is { } pattern)
        {
            return $"boot would override {desired.PersistFile} with {pattern.At}, a pattern ({pattern.Pattern}) that sets other parameters too: " +
                   "the reconciler does not comment it out; narrow it by hand";
        }

        if (overrides.FirstOrDefault(o => o.InLink) is { } linked)
        {
            return $"boot would override {desired.PersistFile} with {linked.At}, in a file that is a symbolic link: never edited through; change it by hand";
        }

        return desired.Conflicts == SysctlConflicts.Block
            ? $"boot would override {desired.PersistFile} with {lines}; conflicts: block leaves {(overrides.Count == 1 ? "it" : "them")}: remove {(overrides.Count == 1 ? "it" : "them")} by hand, or drop conflicts: block to let apply comment {(overrides.Count == 1 ? "it" : "them")} out"
            : null;
    }

    protected override string ApplyScript(SysctlResource desired, SysctlObserved observed, ResourceChange change)
    {
        var want = SysctlResource.Normalize(desired.Value);
        var persisted = $"# Managed by reconciler; local edits are overwritten.\n{desired.Key} = {want}\n";
        // Live first: if the kernel rejects the value, nothing is persisted that would fail again at boot. A live
        // value already right is not written again, so a read-only /proc/sys (a container's) can still be persisted to.
        // One awk reads and normalizes the live value (tabs and line breaks spaces, runs of spaces one, none at the end).
        // A read the kernel fails (stable_secret's EIO until it is set) is an empty value, as the facts read it, never the
        // end of the set -e change: the write comes next and says why if the kernel refuses it too.
        var read = $"rc_live=$(awk 'BEGIN {{ ORS = \"\" }} {{ gsub(/\\t/, \" \"); s = s (NR > 1 ? \" \" : \"\") $0 }} END {{ gsub(/ +/, \" \", s); sub(/ +$/, \"\", s); print s }}' < {Sh.Quote(desired.ProcPath)}) || rc_live=";
        var overrides = Overrides(desired, observed).GroupBy(o => o.File).ToList();
        return PathSafety.OneChangeMemo([desired.PersistFile, .. overrides.Select(f => f.Key)]) + $$"""
            {{read}}
            if [ "$rc_live" != {{Sh.Quote(want)}} ]; then
              { printf '%s\n' {{Sh.Quote(want)}} > {{Sh.Quote(desired.ProcPath)}}; } 2>/dev/null ||
                { echo {{Sh.Quote($"cannot set {desired.Key} = {want}: the kernel refused it, or {desired.ProcPath} is read-only (as /proc/sys is in most containers); nothing persisted")}} >&2; exit 1; }
              {{read}}
              [ "$rc_live" = {{Sh.Quote(want)}} ] || { echo {{Sh.Quote($"kernel kept {desired.Key} = ")}}"$rc_live" >&2; exit 1; }
            fi
            rc_write {{Sh.Quote(desired.PersistFile)}} {{Sh.Quote(Sh.Base64(persisted))}}
            chmod 0644 {{Sh.Quote(desired.PersistFile)}}

            """ + string.Concat(overrides.Select(file => CommentOut(desired, file.Key, file.Select(o => o.Line))));
    }

    // Each listed line must still assign the key (read as the facts read it); anything else was edited since the plan.
    private const string CommentOutAwk = """
        BEGIN { n = split(ENVIRON["RC_LINES"], l, " "); for (j = 1; j <= n; j++) want[l[j]] = 1 }
        NR in want {
          k = $0; i = index(k, "="); if (i == 0 || k ~ /^[ \t]*[#;]/) { bad = NR; exit 1 }
          k = substr(k, 1, i - 1); gsub(/^[ \t-]+|[ \t]+$/, "", k); gsub(/[ \t]+/, " ", k)
          if (index(k, "/") == 0) gsub(/\./, "/", k)
          if (k != ENVIRON["RC_KEY"]) { bad = NR; exit 1 }
          print ENVIRON["RC_MARK"] $0; done++; next }
        { print }
        END { if (bad || done != n) { print ENVIRON["RC_FILE"] ":" (bad ? bad : "") " no longer sets the key as planned; nothing changed" > "/dev/stderr"; exit 1 } }
        """;

    /// <summary>
    /// Comments out <paramref name="lines"/> of <paramref name="file"/> with the marker: the path judged again (PathSafety:
    /// root writes only where root alone controls it, never through a link), read through the descriptor rc_open checked,
    /// written through rc_tmpfile's and renamed over it (rc_commit), so a reader sees the old file or the new one.
    /// </summary>
    internal static string CommentOut(SysctlResource desired, string file, IEnumerable<int> lines) =>
        PathSafety.Rejudge(file, false, null) + $"""
            rc_open 8 "$p"
            rc_tmpfile "$p"
            RC_FILE={Sh.Quote(file)} RC_LINES={Sh.Quote(string.Join(' ', lines))} RC_KEY={Sh.Quote(desired.ProcPath["/proc/sys/".Length..])} RC_MARK={Sh.Quote(desired.OverrideMarker)} awk {Sh.Quote(CommentOutAwk)} < /proc/self/fd/8 > /proc/self/fd/9 || {"{"} rm -f -- "$rc_tmp"; exit 1; {"}"}
            rc_commit "$rc_tmp" "$p" || {"{"} rm -f -- "$rc_tmp"; exit 1; {"}"}

            """;
}
