using System.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Monitoring;
using Reconciler.Core.Resources.MailGraphs;

namespace Reconciler.Core.Tests.Providers.MailGraphs;

/// <summary>
/// The mail_graphs answer as the controller reads it: rates turned into messages per row, each row placed on the real
/// minutes it holds (Mailgraph's one-minute shift), the host's own reasons kept as error lines, and every answer that is
/// cut, too long or out of its grammar malformed, which the fact reader makes this kind's error line.
/// </summary>
public sealed class MailGraphFactsTests
{
    private static readonly MailGraphResource Graphs = new("mailgraph", "/var/lib/mailgraph", new("hosts/m.yaml", 3, 5));

    private const long Last = 1_796_640_000; // a multiple of every archive's resolution here

    /// <summary>An honest export: each archive's rows all zero but the last, whose rates are given.</summary>
    private static List<string> Export(string lastRow = "0.00625\t0.0020833333333\t0\tU\t0\t0", int dayRows = 3)
    {
        var lines = new List<string> { $"L\t0\t{Last}" };
        foreach (var (name, step) in new[] { ("day", 480), ("week", 3360), ("month", 16800), ("year", 201600) })
        {
            var rows = name == "day" ? dayRows : 2;
            lines.Add($"P\t0\t{name}\t{Last - ((rows - 1) * step)}\t{step}\t{rows}");
            lines.AddRange(Enumerable.Range(0, rows - 1).Select(_ => $"V\t0\t{name}\t0\t0\t0\t0\t0\t0"));
            lines.Add($"V\t0\t{name}\t{lastRow}");
        }

        return lines;
    }

    /// <summary>
    /// An honest export whose last update, <paramref name="progress"/> seconds after <see cref="Last"/>, is inside every
    /// archive's next row: each archive's rows, then that row in progress with <paramref name="values"/> (day's
    /// <paramref name="dayValues"/>), ending one resolution after its last row unless <paramref name="dayEnd"/> says otherwise.
    /// </summary>
    private static List<string> InProgress(
        string values = "0\t0\t0\t0\t0\t0", string? dayValues = null, long progress = 300, long? dayEnd = null)
    {
        var lines = new List<string>();
        foreach (var line in Export())
        {
            if (line.StartsWith("P\t", StringComparison.Ordinal) && lines[^1].StartsWith("V\t", StringComparison.Ordinal))
            {
                lines.Add(Progress(lines[^1]));
            }

            lines.Add(line.StartsWith('L') ? $"L\t0\t{Last + progress}" : line);
        }

        lines.Add(Progress(lines[^1]));
        return lines;

        string Progress(string lastRow)
        {
            var name = lastRow.Split('\t')[2];
            var step = new Dictionary<string, long> { ["day"] = 480, ["week"] = 3360, ["month"] = 16800, ["year"] = 201600 }[name];
            var end = name == "day" && dayEnd is { } forced ? forced : Last + step;
            return $"C\t0\t{name}\t{end}\t{(name == "day" ? dayValues ?? values : values)}";
        }
    }

    private static IReadOnlyList<object> Parse(IReadOnlyList<string> lines) =>
        ((IResourceProvider)new MailGraphsProvider()).ParseFacts([Graphs], new FactAnswers(new Dictionary<string, IReadOnlyList<string>> { ["mail_graphs"] = lines }));

    private static HostMonitoring Judge(IReadOnlyList<string> lines) => new MailGraphsProvider().Judge([Graphs], Parse(lines));

    [Fact]
    public void Rates_become_messages_per_row_and_each_row_starts_at_the_first_real_minute_it_holds()
    {
        var mail = Judge(Export()).Mail!;

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Last), mail.LastUpdate);
        Assert.Equal(["day", "week", "month", "year"], mail.Periods.Select(p => p.Name));
        var day = mail.Periods[0];
        Assert.Equal(480, day.StepSeconds);
        // The row ending at Last holds the minutes written at Last-420 … Last, i.e. real time [Last-420, Last+60)
        Assert.Equal([Last - 1380, Last - 900, Last - 420], day.Points.Select(p => p.Start.ToUnixTimeSeconds()));
        // 0.00625/s × 480 s = 3 sent; 0.0020833333333/s × 480 s = 0.99999999998 → 1 received; U → null
        Assert.Equal(new MailCounts(3, 1, 0, null, 0, 0), day.Points[^1].Counts);
        Assert.Equal(new MailCounts(0, 0, 0, 0, 0, 0), day.Points[0].Counts);
        Assert.Equal(Last - 201600 + 60, mail.Periods[3].Points[^1].Start.ToUnixTimeSeconds());
    }

    [Fact]
    public void The_row_in_progress_is_its_periods_last_point_marked_partial_with_the_messages_of_its_minutes_so_far()
    {
        // The last update 5 minutes into the day row after Last: that row holds the minutes written at Last+60 … Last+300
        var mail = Judge(InProgress(values: "12\t0\t0\t0\tU\tU", dayValues: "5\t3.99999999998\t0\t1e-13\t8\tU")).Mail!;

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Last + 300), mail.LastUpdate);
        var day = mail.Periods[0];
        Assert.Equal([Last - 1380, Last - 900, Last - 420, Last + 60], day.Points.Select(p => p.Start.ToUnixTimeSeconds()));
        Assert.Equal([false, false, false, true], day.Points.Select(p => p.Partial));
        // Counts as RRD sums them (rates times the step): exact up to floating-point noise, which rounding removes
        Assert.Equal(new MailCounts(5, 4, 0, 0, 8, null), day.Points[^1].Counts);
        Assert.Equal(new MailCounts(3, 1, 0, null, 0, 0), day.Points[^2].Counts);
        Assert.All(mail.Periods.Skip(1), p =>
        {
            Assert.Equal(3, p.Points.Count);
            Assert.Equal(Last + 60, p.Points[^1].Start.ToUnixTimeSeconds());
            Assert.True(p.Points[^1].Partial);
            Assert.Equal(new MailCounts(12, 0, 0, 0, null, null), p.Points[^1].Counts);
        });
    }

    [Fact]
    public void Without_a_row_in_progress_no_point_is_partial()
    {
        Assert.All(Judge(Export()).Mail!.Periods.SelectMany(p => p.Points), p => Assert.False(p.Partial));
    }

    [Theory]
    [InlineData("E\t0\t/var/lib/mailgraph/mailgraph.rrd does not exist: Mailgraph has not written yet", "mail_graphs: /var/lib/mailgraph/mailgraph.rrd does not exist: Mailgraph has not written yet")]
    [InlineData("B\t0\tunsafe path transition: directory /var/lib can be written by other users", "mail_graphs: unsafe path transition: directory /var/lib can be written by other users")]
    public void What_the_host_says_it_cannot_export_is_this_kinds_error_line(string record, string line)
    {
        var monitoring = Judge([record]);

        Assert.Null(monitoring.Mail);
        Assert.Equal([line], monitoring.Errors);
    }

    [Fact]
    public void An_error_of_librrd_after_the_last_update_is_the_error_line_too()
    {
        Assert.Equal(["mail_graphs: /var/lib/mailgraph: cannot open RRD"], Judge([$"L\t0\t{Last}", "E\t0\t/var/lib/mailgraph: cannot open RRD"]).Errors);
    }

    public static TheoryData<string, string[]> Malformed() => new()
    {
        { "cut on the host at 256 KiB", [.. Export(), "V\t0\tday\t99999", "T\t0\tbytes"] },
        { "cut on the host at 400 rows", [.. Export(), "T\t0\trows"] },
        { "does not begin with when Mailgraph last wrote", [.. Export().Skip(1)] },
        { "has no week archive where it belongs", [.. Export().Where(l => !l.Contains("\tweek\t"))] },
        { "has 2 of the 3 rows its day archive announced", [.. Export().Where((l, i) => i != 2)] },
        { "announces '401' rows", [.. Export().Select(l => l.StartsWith("P\t0\tday", StringComparison.Ordinal) ? l[..l.LastIndexOf('\t')] + "\t401" : l)] },
        { "not a whole number of minutes", [.. Export().Select(l => l.Replace("\t480\t", "\t450\t"))] },
        { "that is not a rate of mail", [.. Export("-1\t0\t0\t0\t0\t0")] },
        { "that is not a rate of mail", [.. Export("NaN\t0\t0\t0\t0\t0")] },
        { "that is not a rate of mail", [.. Export("Infinity\t0\t0\t0\t0\t0")] },
        { "that is not a rate of mail", [.. Export("<script>alert(1)</script>\t0\t0\t0\t0\t0")] },
        { "goes on after its year archive", [.. Export(), "V\t0\tyear\t0\t0\t0\t0\t0\t0"] },
        { "names a time '99999999999999' that is not one", [.. Export().Select(l => l.StartsWith('L') ? "L\t0\t99999999999999" : l)] },
        { "not one of the 1 read", [.. Export(), "V\t1\tday\t0\t0\t0\t0\t0\t0"] },
        { "does not begin with when Mailgraph last wrote", ["E\t0\tone", "E\t0\ttwo"] },
        // Rows in progress: each the row after its archive's last, holding the last update, its values counts of mail
        { "a day row in progress ending at 1796640960, not the row after its last (1796640480)", [.. InProgress(dayEnd: Last + 960)] },
        { "a day row in progress ending at 1796640000, not the row after its last (1796640480)", [.. InProgress(dayEnd: Last)] },
        { "that holds its last update (1796640000)", [.. InProgress(progress: 0)] },
        { "that holds its last update (1796640480)", [.. InProgress(progress: 480)] },
        { "in its day row in progress that is not a count of mail", [.. InProgress(dayValues: "-1\t0\t0\t0\t0\t0")] },
        { "in its day row in progress that is not a count of mail", [.. InProgress(dayValues: "NaN\t0\t0\t0\t0\t0")] },
        { "in its day row in progress that is not a count of mail", [.. InProgress(dayValues: "0\t0\t0\t0\t0\t<b>")] },
        // 300 s at most 1e6 messages a second: 3e8 is the most, and a count above it is not Mailgraph's
        { "in its day row in progress that is not a count of mail", [.. InProgress(dayValues: "300000000.01\t0\t0\t0\t0\t0")] },
        { "has no week archive where it belongs (a record 'C')", [.. InProgress().SelectMany(l => l.StartsWith("C\t0\tday", StringComparison.Ordinal) ? new[] { l, l } : [l])] },
        { "has no week archive where it belongs (a record 'C')", [.. InProgress().Select(l => l.StartsWith("C\t0\tday", StringComparison.Ordinal) ? l + "\t0" : l)] },
        { "goes on after its year archive (a record 'C')", [.. InProgress().Select(l => l.StartsWith("C\t0\tyear", StringComparison.Ordinal) ? l.Replace("year", "day", StringComparison.Ordinal) : l)] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void An_answer_cut_on_the_host_or_out_of_its_grammar_is_malformed(string why, string[] lines)
    {
        var e = Assert.Throws<MalformedFactsException>(() => Parse(lines));

        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void A_reason_the_host_gives_is_shown_escaped_and_bounded()
    {
        var error = Assert.Single(Judge([$"E\t0\t{new string('x', 500)}\u001b[31m"]).Errors);

        Assert.True(error.Length < 340, error);
        Assert.DoesNotContain('\u001b', error);
    }

    /// <summary>
    /// The export runs as the user who controls the RRD directory (www-data), who may ptrace it and print without end:
    /// root's side of the read passes on at most <see cref="MailGraphFacts.RootMaxBytes"/>, then a cut record, so the
    /// flood is this kind's error line instead of the host's whole read stopped at the per-command cap.
    /// </summary>
    [Fact]
    public void An_export_that_prints_without_end_is_cut_on_roots_side()
    {
        using var dir = new Support.TempDir();
        var resource = new MailGraphResource("mailgraph", dir.Path, new("hosts/m.yaml", 3, 5));
        var script = MailGraphFacts.ReadScript([resource]);
        // The export as a hostile controlling user makes it: its own bounds gone, endless well-formed records.
        var hostile = "rc_mg_export() { yes \"V\t$1\tday\t0\t0\t0\t0\t0\t0\" | head -c 100000000; }\n";
        var at = script.IndexOf("{\np=", StringComparison.Ordinal);
        Assert.True(at > 0);

        var run = Support.LocalShell.Run(script[..at] + hostile + script[at..]);

        Assert.InRange(run.Stdout.Length, MailGraphFacts.MaxBytes, MailGraphFacts.RootMaxBytes + 64);
        Assert.EndsWith("T\t0\tbytes\n", run.Stdout, StringComparison.Ordinal);
        var e = Assert.Throws<MalformedFactsException>(() => Parse(Support.LocalShell.Lines(run.Stdout)));
        Assert.Contains("was cut on the host", e.Message);
    }

    [Fact]
    public void The_export_program_compiles_where_perl_is_installed()
    {
        // The program the read sends (embedded as perl/mail-graphs-export.pl): perl -c needs no RRDs module to compile it.
        var program = EmbeddedText.Read("perl/mail-graphs-export.pl", "embedded by Reconciler.Core.csproj");
        Assert.Contains("RRDs::xport", MailGraphFacts.ReadScript([Graphs]));
        Assert.Contains("cdp_prep", MailGraphFacts.ReadScript([Graphs]));
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, program);
            using var perl = Process.Start(new ProcessStartInfo("perl", ["-c", path]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var stderr = perl.StandardError.ReadToEnd();
            perl.WaitForExit();
            Assert.True(perl.ExitCode == 0, stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
