using System.Globalization;
using System.Text;
using Reconciler.Core.Facts;
using Reconciler.Core.Monitoring;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.MailGraphs;

/// <summary>
/// The mail_graphs read, in the host's one batched read: each RRD directory judged like every host path
/// (<see cref="PathSafety.Judged"/>: read as www-data when, as Debian's init script leaves it, www-data owns it) and
/// exported by <c>mail-graphs-export.pl</c> through Perl's RRDs, bounded on the host in rows and bytes; and the parser,
/// which takes nothing on trust either: an answer that is cut, too long or out of its grammar is malformed.
/// </summary>
/// <remarks>
/// Mailgraph counts the events of minute [M, M+60) and writes them at timestamp M (when a line of a later minute
/// arrives), so RRD files them in the primary data point that ends at M, i.e. the interval (M-60, M]. A row of an
/// archive with resolution S ending at T (the times the export gives) consolidates the points ending in (T-S, T]: the
/// minutes M = T-S+60 … T, which is real time [T-S+60, T+60). <see cref="MailPoint.Start"/> is that real start.
/// The row in progress (xport answers complete rows only) follows an archive's rows as a <see cref="MailPoint.Partial"/>
/// point: the same start, its minutes up to the last update, so the newest mail shows before its row is complete.
/// </remarks>
public static class MailGraphFacts
{
    /// <summary>Bytes one directory's export may print (an honest one is about 20 KiB: 4 archives of at most 181 rows).</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>What root's side passes on of one directory's answer: the export's bytes, its cut record and the path's notes.</summary>
    internal const int RootMaxBytes = MaxBytes + (8 * 1024);

    /// <summary>Rows one archive may answer (Mailgraph's answer at most 181: a row per resolution step of the period, plus alignment).</summary>
    public const int MaxRows = 400;

    /// <summary>Mailgraph's RRD step: the shift between the timestamp it writes and the minute it counted.</summary>
    public const int MinuteSeconds = 60;

    /// <summary>The archives, finest first, as the export names them: Mailgraph's four AVERAGE archives.</summary>
    public static IReadOnlyList<string> Periods { get; } = ["day", "week", "month", "year"];

    /// <summary>A rate no mail host reaches (messages per second): a value above it is not Mailgraph's.</summary>
    private const double MaxRate = 1e6;

    /// <summary>The earliest and latest times an answer may name (2000-01-01, 2200-01-01): anything else is not Mailgraph's clock.</summary>
    private const long MinEpoch = 946_684_800, MaxEpoch = 7_258_118_400;

    private static readonly string Program = EmbeddedText.Read(
        "perl/mail-graphs-export.pl", "the mail_graphs export is an EmbeddedResource with LogicalName perl/mail-graphs-export.pl (Reconciler.Core.csproj)");

    public static string ReadScript(IReadOnlyList<MailGraphResource> resources)
    {
        var library = ShellFiles.Fill("mail-graphs-read.sh", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["RC_MG_PROGRAM"] = Program.TrimEnd('\n'),
            ["RC_MG_MAX_ROWS"] = MaxRows.ToString(CultureInfo.InvariantCulture),
            ["RC_MG_MAX_BYTES"] = MaxBytes.ToString(CultureInfo.InvariantCulture),
        });
        var script = new StringBuilder(PathSafety.Carry(PathSafety.Functions + "\n" + library));
        script.AppendLine();
        for (var i = 0; i < resources.Count; i++)
        {
            // Links followed where only root could have made them: the directory perl then opens is the one judged.
            // Bounded again here, on root's side: the export runs as the user who controls the directory (www-data), who
            // may ptrace it and print without end; a flood must be this kind's error line, not stop the host's whole read
            // at the per-command cap. head keeps awk from holding an endless line; awk cuts at whole lines.
            script.Append("{\n");
            script.Append(PathSafety.Judged(i, Sh.Quote(resources[i].RrdDir), follow: true, asControllingUser: true, $"rc_mg_export {i}"));
            script.Append(CultureInfo.InvariantCulture,
                $"}} | head -c {RootMaxBytes + 1} | awk -v max={RootMaxBytes} -v i={i} '{{ n += length($0) + 1 }} n > max {{ printf \"T\\t%s\\tbytes\\n\", i; exit }} {{ print }}'\n");
        }

        return script.ToString();
    }

    /// <summary>One observed state per directory: its traffic, or the host's reason it has none.</summary>
    /// <exception cref="MalformedFactsException">The export was cut, or a record is missing, repeated, unknown or out of its grammar.</exception>
    public static IReadOnlyList<MailGraphObserved> Parse(string kind, IReadOnlyList<MailGraphResource> resources, IReadOnlyList<string> lines)
    {
        var byIndex = FactRecords.ByIndex(kind, lines, resources.Count);
        return resources.Select((r, i) => One(r.RrdDir, byIndex[i].ToList())).ToList();
    }

    private static MailGraphObserved One(string dir, List<string[]> records)
    {
        // U and O are the path judgement's notes (a user controls the directory; it is missing in a shared one): the
        // export says what they mean for it.
        records.RemoveAll(r => r[0] is "U" or "O");
        if (records.Find(r => r[0] == "T") is { } cut)
        {
            throw new MalformedFactsException(
                $"the export of {dir} was cut on the host at {(cut.FirstField() == "rows" ? $"{MaxRows} rows of one archive" : $"{MaxBytes / 1024} KiB")}: far more than Mailgraph's RRDs hold");
        }

        // A refused path (B) is the whole answer; perl's reason (E) ends it, after when Mailgraph last wrote or an archive or
        // two if librrd failed only then: either way the directory has no traffic to show, and the reason says why.
        var refusals = records.Where(r => r[0] is "B" or "E").ToList();
        if (refusals is [[_, _, var reason]] && ReferenceEquals(refusals[0], records[^1]) && (records.Count == 1 || records[0][0] == "L"))
        {
            return MailGraphObserved.Unavailable(Shown(reason));
        }

        if (records.Count == 0 || records[0] is not ["L", _, var last])
        {
            throw new MalformedFactsException($"the export of {dir} does not begin with when Mailgraph last wrote");
        }

        var lastUpdate = Epoch(dir, last);
        var periods = new List<MailPeriod>();
        var at = 1;
        foreach (var name in Periods)
        {
            if (at >= records.Count || records[at] is not ["P", _, var named, var first, var step, var rows] || named != name)
            {
                throw new MalformedFactsException($"the export of {dir} has no {name} archive where it belongs (a record '{Tag(records, at)}')");
            }

            var (firstEnd, seconds, count) = (Epoch(dir, first), Step(dir, name, step), Count(dir, name, rows));
            var points = new List<MailPoint>(count);
            for (var k = 0; k < count; k++)
            {
                var row = ++at < records.Count ? records[at] : null;
                if (row is not ["V", _, var rowName, _, _, _, _, _, _] || rowName != name)
                {
                    throw new MalformedFactsException($"the export of {dir} has {k} of the {count} rows its {name} archive announced");
                }

                var end = firstEnd + ((long)k * seconds);
                var values = row[3..].Select(v => Value(dir, name, v, seconds)).ToArray();
                points.Add(new MailPoint(
                    DateTimeOffset.FromUnixTimeSeconds(end - seconds + MinuteSeconds),
                    new MailCounts(values[0], values[1], values[2], values[3], values[4], values[5])));
            }

            if (firstEnd + ((long)count * seconds) > MaxEpoch)
            {
                throw new MalformedFactsException($"the export of {dir} has {name} rows past the year 2200");
            }

            if (at + 1 < records.Count && records[at + 1] is ["C", _, var progressName, var progressEnd, _, _, _, _, _, _] && progressName == name)
            {
                at++;
                points.Add(InProgress(dir, name, seconds, firstEnd + ((long)count * seconds), lastUpdate, progressEnd, records[at][4..]));
            }

            periods.Add(new MailPeriod(name, seconds, points));
            at++;
        }

        if (at != records.Count)
        {
            throw new MalformedFactsException($"the export of {dir} goes on after its year archive (a record '{Tag(records, at)}')");
        }

        return MailGraphObserved.Exported(new MailTraffic(DateTimeOffset.FromUnixTimeSeconds(lastUpdate), periods));
    }

    /// <summary>
    /// The row in progress: the row right after the archive's last, and the last update inside it, or it is not the row
    /// in progress; its values are messages so far (RRD's running sums times the step, exact for whole minutes).
    /// </summary>
    private static MailPoint InProgress(string dir, string name, int seconds, long next, long lastUpdate, string endText, string[] values)
    {
        var end = Epoch(dir, endText);
        if (end != next || lastUpdate <= end - seconds || lastUpdate >= end)
        {
            throw new MalformedFactsException(
                $"the export of {dir} has a {name} row in progress ending at {end}, not the row after its last ({next}) that holds its last update ({lastUpdate})");
        }

        // The seconds of the minutes written so far (those of the points ending after the row's start, up to the last
        // update): what the counts are bounded by.
        var covered = lastUpdate - (end - seconds);
        var counts = values.Select(v => Messages(dir, name, v, covered)).ToArray();
        return new MailPoint(
            DateTimeOffset.FromUnixTimeSeconds(end - seconds + MinuteSeconds),
            new MailCounts(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5])) { Partial = true };
    }

    private static long Epoch(string dir, string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch) && epoch is >= MinEpoch and <= MaxEpoch
            ? epoch
            : throw new MalformedFactsException($"the export of {dir} names a time '{Short(text)}' that is not one");

    /// <summary>A whole number of Mailgraph's minutes, at most a year: the shift of <see cref="MailPoint.Start"/> assumes the first.</summary>
    private static int Step(string dir, string name, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var step) && step is > 0 and <= 366 * 86400 && step % MinuteSeconds == 0
            ? step
            : throw new MalformedFactsException($"the export of {dir} gives its {name} archive a resolution '{Short(text)}', not a whole number of minutes");

    private static int Count(string dir, string name, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count <= MaxRows
            ? count
            : throw new MalformedFactsException($"the export of {dir} announces '{Short(text)}' rows for its {name} archive, more than {MaxRows}");

    /// <summary>
    /// Messages in the row: the average rate RRD kept times the row's length. Mailgraph's counters are ABSOLUTE, so a row
    /// whose minutes are all known comes back as the exact count, up to floating-point noise: rounding to hundredths
    /// removes the noise; a row with unknown minutes (under half of them: RRD's xff) is an estimate, kept to hundredths.
    /// </summary>
    private static double? Value(string dir, string name, string text, int seconds)
    {
        if (text == "U") return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && double.IsFinite(rate) && rate is >= 0 and <= MaxRate
            ? Math.Round(rate * seconds, 2)
            : throw new MalformedFactsException($"the export of {dir} has a value '{Short(text)}' in its {name} archive that is not a rate of mail");
    }

    /// <summary>Messages in the minutes of a row in progress: a count, at most what <see cref="MaxRate"/> allows in them.</summary>
    private static double? Messages(string dir, string name, string text, long covered)
    {
        if (text == "U") return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var count) && double.IsFinite(count) && count >= 0 && count <= MaxRate * covered
            ? Math.Round(count, 2)
            : throw new MalformedFactsException($"the export of {dir} has a value '{Short(text)}' in its {name} row in progress that is not a count of mail");
    }

    private static string Tag(List<string[]> records, int at) => at < records.Count ? Short(records[at][0]) : "(end)";

    private static string Short(string text) => Shown(text.Length <= 24 ? text : text[..24] + "…");

    /// <summary>Host text in a line of the report: control characters escaped, at most 300 characters.</summary>
    private static string Shown(string text) => Specs.PathRules.Printable(text.Length <= 300 ? text : text[..300] + "…");
}
