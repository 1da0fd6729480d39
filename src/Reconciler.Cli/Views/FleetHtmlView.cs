using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Reconciler.Core.Monitoring;
using Reconciler.Core.Plans;
using Scriban.Runtime;

namespace Reconciler.Cli.Views;

/// <summary>
/// fleet.html: the whole fleet on one self-contained page — counts first, a table of hosts that sorts and filters, then
/// a section per host with its mail graphs, health figures and sparklines, findings and drift status. Everything is
/// inline (style, SVG, one script) and the page's Content-Security-Policy allows that one script by its SHA-256 and
/// nothing else, no request of any kind: even a value that escaped its encoding could not run or load anything.
/// Every host or spec value is encoded here by <see cref="HtmlText"/>.
/// </summary>
internal static class FleetHtmlView
{
    /// <summary>Mail data whose last update is older than this, against the report's time, is flagged stale.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(2);

    /// <summary>
    /// About the most the page holds, whatever the hosts answer (<see cref="FleetBudget"/>): host text, rows, charts and
    /// points are spent from one budget per page; the page's own markup per host adds to it for each inventory host.
    /// </summary>
    public const int MaxChars = 32 * 1024 * 1024;

    /// <summary>The page's one script (sorting, filtering, period tabs), embedded beside the template.</summary>
    public static string Script { get; } = Load("fleet.js");

    /// <summary>The CSP source that allows exactly <see cref="Script"/>.</summary>
    public static string ScriptHash { get; } = "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Script)));

    public static string Render(Plan plan, HealthHistory history, DateTimeOffset generatedAt)
    {
        var counts = DriftCounts.Of(plan);
        var budget = new FleetBudget();
        var hosts = plan.Hosts.Select(h => Host(h, history.Of(h.Host).TakeLast(HealthHistory.MaxSamples).ToList(), generatedAt, budget)).ToList();
        return ViewTemplates.Render("fleet.html.sbn", new ScriptObject
        {
            ["generated_at"] = $"{generatedAt:yyyy-MM-dd HH:mm:ss} UTC",
            ["script_hash"] = ScriptHash,
            ["script"] = Script,
            ["counts"] = new ScriptObject
            {
                ["hosts"] = counts.Hosts,
                ["in_sync"] = counts.InSync,
                ["drifted"] = counts.Drifted,
                ["needs_attention"] = counts.NeedsAttention,
                ["unreachable"] = counts.Unreachable,
                ["host_key_mismatch"] = counts.HostKeyMismatch,
                ["breached"] = counts.Breached,
                ["errors"] = counts.MonitoringErrors,
                ["stale"] = hosts.Count(h => h["stale"] is true),
            },
            ["sentence"] = counts.Sentence(monitored: true),
            ["stale_hours"] = StaleAfter.TotalHours.ToString(CultureInfo.InvariantCulture),
            ["statuses"] = new[] { DriftRows.InSync, DriftRows.Drifted, DriftRows.NeedsAttention, DriftRows.Unreachable, DriftRows.HostKeyMismatch },
            ["hosts"] = hosts,
        });
    }

    private static ScriptObject Host(HostPlan h, IReadOnlyList<HealthSample> samples, DateTimeOffset now, FleetBudget budget)
    {
        var anchor = FleetAnchor.Of(h.Host);
        var status = DriftRows.Status(h);
        var monitoring = h.Monitoring;
        var health = monitoring?.Health;
        var mail = monitoring?.Mail;
        var age = mail?.LastUpdate is { } updated ? now - updated : (TimeSpan?)null;
        var stale = mail is not null && (age is null || age > StaleAfter);
        var memory = health?.Memory is { TotalKiB: > 0, AvailableKiB: { } available } m ? 100.0 * available / m.TotalKiB : (double?)null;
        var inodes = health?.Filesystems.Select(f => f.InodesUsedPercent).Max();
        var (rows, rowsLeft) = budget.Rows(DriftRows.Of(h));
        var breached = HostFindings.Breached(h);
        var (findings, findingsLeft) = budget.Rows(breached);
        var (errors, errorsLeft) = budget.Rows(HostFindings.Errors(h));
        var (periods, periodsLeft) = budget.Charts(mail?.Periods ?? []);
        return new ScriptObject
        {
            ["anchor"] = anchor,
            ["heading_id"] = FleetAnchor.Part("heading", anchor),
            ["name"] = HtmlText.Encode(h.Host),
            ["sort_name"] = HtmlText.Inline(h.Host),
            ["status"] = status,
            ["css"] = status.Replace(' ', '-'),
            ["rank"] = Array.IndexOf(new[] { DriftRows.InSync, DriftRows.NeedsAttention, DriftRows.Drifted, DriftRows.Unreachable, DriftRows.HostKeyMismatch }, status),
            ["error"] = h.Error is null ? null : budget.Encode(h.Error),
            ["commit"] = HostCommit.Of(h) is { } commit ? budget.Encode(commit) : null,
            ["differences"] = h.Differences.Count(),
            ["rows"] = rows.Select(r => new ScriptObject
            {
                ["address"] = budget.Encode(r.Address),
                ["attribute"] = budget.Encode(r.Attribute),
                ["declared"] = budget.Encode(r.Declared),
                ["live"] = budget.Encode(r.Live),
            }).ToList(),
            ["rows_left_out"] = LeftOut(rowsLeft, "difference(s)"),
            ["breached"] = breached.Count,
            ["findings"] = findings.Select(f => new ScriptObject
            {
                ["rule"] = budget.Encode(f.Rule),
                ["subject"] = budget.Encode(f.Subject),
                ["value"] = budget.Encode(f.Value),
                ["threshold"] = budget.Encode(f.Threshold),
                ["source"] = budget.Encode(f.Source),
            }).ToList(),
            ["findings_left_out"] = LeftOut(findingsLeft, "breached rule(s)"),
            ["monitoring_errors"] = errors.Select(budget.Encode).ToList(),
            ["errors_left_out"] = LeftOut(errorsLeft, "monitoring error(s)"),
            ["mail"] = mail is not null,
            ["stale"] = stale,
            ["mail_age"] = mail is null ? "—" : age is { } a ? Age(a) + (stale ? " (stale)" : "") : "never (stale)",
            ["mail_age_sort"] = age is { } s ? ((long)s.TotalSeconds).ToString(CultureInfo.InvariantCulture) : "",
            ["mail_updated"] = mail?.LastUpdate is { } u ? $"{u.ToUniversalTime():yyyy-MM-dd HH:mm} UTC" : null,
            ["periods"] = periods.Select((p, i) => FleetCharts.Mail(h.Host, anchor, i, p, budget)).ToList(),
            ["periods_left_out"] = LeftOut(periodsLeft, "period(s) of mail traffic"),
            ["health"] = health is null ? null : Health(h.Host, health, samples, budget),
            ["load"] = health?.Load is { } l ? Fixed(l.One, 2) : "—",
            ["load_sort"] = health?.Load is { } ls && double.IsFinite(ls.One) ? FleetCharts.Number(ls.One) : "",
            ["memory"] = memory is { } mp ? Fixed(mp, 1) + " %" : "—",
            ["memory_sort"] = memory is { } ms ? FleetCharts.Number(ms) : "",
            ["inodes"] = inodes is { } ip ? Fixed(ip, 1) + " %" : "—",
            ["inodes_sort"] = inodes is { } isort ? FleetCharts.Number(isort) : "",
        };
    }

    private static string? LeftOut(int count, string what) =>
        count == 0 ? null : $"{count.ToString("N0", CultureInfo.InvariantCulture)} more {what} {FleetBudget.LeftOut}; drift.md and drift.json list every finding and difference.";

    private static ScriptObject Health(string host, HealthFacts health, IReadOnlyList<HealthSample> samples, FleetBudget budget)
    {
        var (filesystems, filesystemsLeft) = budget.Rows(health.Filesystems);
        return new ScriptObject
        {
            ["read_at"] = $"{health.ReadAt.ToUniversalTime():yyyy-MM-dd HH:mm} UTC",
            ["filesystems"] = filesystems.Select(f => new ScriptObject
            {
                ["mount"] = budget.Encode(f.Mount),
                ["device"] = budget.Encode(f.Device),
                ["type"] = budget.Encode(f.Type),
                ["space"] = f.SpaceUsedPercent is { } sp ? $"{Fixed(sp, 1)} % of {Bytes(f.SizeBytes)}" : "not available",
                ["inodes"] = f.InodesUsedPercent is { } ip ? $"{Fixed(ip, 1)} % of {f.Inodes.ToString("N0", CultureInfo.InvariantCulture)}" : "not available",
                ["check"] = budget.Encode(Check(f.Check)),
            }).ToList(),
            ["filesystems_left_out"] = filesystemsLeft == 0 ? null : $"{filesystemsLeft.ToString("N0", CultureInfo.InvariantCulture)} more filesystem(s) {FleetBudget.LeftOut}.",
            ["memory"] = health.Memory is { } m ? HtmlText.Encode(
                $"MemAvailable {(m.AvailableKiB is { } a ? $"{Bytes(a * 1024)} ({Share(a, m.TotalKiB)})" : "not available")}; " +
                $"MemFree + Inactive {Bytes(m.SeedAvailableKiB * 1024)} ({Share(m.SeedAvailableKiB, m.TotalKiB)}); total {Bytes(m.TotalKiB * 1024)}") : "not available",
            ["syn_recv"] = health.SynRecv is { } syn ? syn.ToString(CultureInfo.InvariantCulture) : "not available",
            ["load"] = health.Load is { } l ? $"{Fixed(l.One, 2)} / {Fixed(l.Five, 2)} / {Fixed(l.Fifteen, 2)} (1 / 5 / 15 min) on {l.Cpus} CPU(s)" : "not available",
            ["uptime"] = health.Uptime is { } up ? Duration(up) : "not available",
            ["sparks"] = new (string Figure, Func<HealthSample, double?> Of)[]
                {
                    ("space used, fullest filesystem (%)", s => s.SpaceUsedPercent),
                    ("inodes used, fullest filesystem (%)", s => s.InodesUsedPercent),
                    ("memory available (%)", s => s.MemoryAvailablePercent),
                    ("SYN_RECV sockets", s => s.SynRecv),
                    ("load, 1 minute", s => s.Load1),
                }
                .Select(f => (f.Figure, Spark: FleetCharts.Spark(host, f.Figure, samples.Select(f.Of).ToList())))
                .Where(f => f.Spark is not null)
                .Select(f => { f.Spark!["figure"] = f.Figure; return f.Spark; })
                .ToList(),
        };
    }

    private static string Check(MountCheck c) =>
        c.NotAvailable is { } why ? $"not available: {why}"
        : c.Count is null ? "not available"
        : $"{c.Count} of {(c.Maximum is null or < 0 ? "no maximum (periodic checks off)" : c.Maximum.Value.ToString(CultureInfo.InvariantCulture))}"
          + (c.LastChecked is { } at ? $", last checked {at.ToUniversalTime():yyyy-MM-dd}" : "");

    private static string Share(long part, long total) => total > 0 ? Fixed(100.0 * part / total, 1) + " %" : "—";

    private static string Fixed(double value, int decimals) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    private static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : $"{Fixed(value, 1)} {units[unit]}";
    }

    private static string Age(TimeSpan age) =>
        age < TimeSpan.Zero ? "in the future"
        : age.TotalMinutes < 1 ? "just now"
        : age.TotalHours < 1 ? $"{(int)age.TotalMinutes} min ago"
        : age.TotalDays < 2 ? $"{(int)age.TotalHours} h ago"
        : $"{(int)age.TotalDays} days ago";

    private static string Duration(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{(int)span.TotalDays} d {span.Hours} h" : span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min" : $"{(int)span.TotalMinutes} min";

    private static string Load(string name)
    {
        var resource = $"Reconciler.Cli.Templates.{name}";
        using var stream = typeof(FleetHtmlView).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded script {resource} is missing from the build");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        // Placed raw inside <script>: it must not be able to end its own element.
        return text.Contains("</", StringComparison.Ordinal) ? throw new InvalidOperationException($"{name} must not contain \"</\"") : text;
    }
}
