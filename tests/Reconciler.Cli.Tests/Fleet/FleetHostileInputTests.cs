using System.Diagnostics;
using System.Text.RegularExpressions;
using Reconciler.Cli.Features;
using Reconciler.Cli.Views;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Monitoring;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Tests.Fleet;

/// <summary>
/// The fleet page and the health history against a host whose answers may be anything (every figure, name and count),
/// and against spec host names chosen to collide: nothing fails the run, ids stay unique, and the page stays bounded.
/// </summary>
public sealed partial class FleetHostileInputTests
{
    private static HostPlan Host(string name, HostMonitoring monitoring) =>
        new(name, [new ResourceChange(new ResourceAddress("file", "/etc/hosts"), ChangeAction.NoOp, [], new SourceLocation("specs/base.yaml", 4, 5))])
        {
            Monitoring = monitoring,
        };

    private static HostMonitoring Sample() => new()
    {
        Health = SampleFleet.Health(disk: 50, inodes: 20, availableKiB: 1_000_000),
        Mail = SampleFleet.Mail(SampleFleet.At.AddMinutes(-3), seed: 1),
    };

    [Fact]
    public void Every_id_on_the_page_is_unique_even_when_a_host_is_named_like_another_hosts_part()
    {
        // Valid inventory names (letters, digits, . _ -) that end as another host's heading, chart, tab or title id.
        var names = new[] { "mx", "mx-h", "mx-mail-0", "mx-mail-0-h", "mx-mail-0-tab", "mx-mail-0-t", "mx-mail-0-d", "hosts", "fleet", "status-filter" };
        var plan = new Plan(names.Select(n => Host(n, Sample())).ToList());

        var html = FleetHtmlView.Render(plan, HealthHistory.Empty, SampleFleet.At);

        var ids = Ids().Matches(html).Select(m => m.Groups[1].Value).ToList();
        var repeated = ids.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(repeated.Count == 0, "ids used twice: " + string.Join(", ", repeated));
        foreach (var name in names)
        {
            // The table links each host to its own section.
            Assert.Contains($"<section class=\"host\" id=\"{FleetAnchor.Of(name)}\"", html);
        }
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_non_finite_figure_never_fails_the_history_and_is_kept_as_unknown(double load)
    {
        var facts = SampleFleet.Health(disk: 50, inodes: 20, availableKiB: 1_000_000) with { Load = new LoadFacts(load, load, load, 1) };
        var plan = new Plan([Host("mx", new HostMonitoring { Health = facts })]);

        var history = HealthHistoryFile.Append(HealthHistory.Empty, plan);
        var text = HealthHistoryFile.Render(history);
        var path = Path.Combine(Directory.CreateTempSubdirectory("history-").FullName, HealthHistoryFile.FileName);
        File.WriteAllText(path, text);
        var read = HealthHistoryFile.Read(path, out var warning);

        Assert.Null(warning);
        Assert.Null(Assert.Single(read.Of("mx")).Load1);
        FleetHtmlView.Render(plan, history, SampleFleet.At);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public void Times_at_the_ends_of_the_calendar_never_fail_the_page()
    {
        var end = DateTimeOffset.MaxValue;
        var points = new List<MailPoint> { new(end.AddSeconds(-1), new MailCounts(1, 1, 1, 1, 1, 1)), new(end, new MailCounts(2, 2, 2, 2, 2, 2)) };
        var monitoring = new HostMonitoring
        {
            Health = SampleFleet.Health(disk: 50, inodes: 20, availableKiB: 1_000_000) with { ReadAt = DateTimeOffset.MinValue, Uptime = TimeSpan.MinValue },
            Mail = new MailTraffic(DateTimeOffset.MinValue, [new MailPeriod("day", int.MaxValue, points), new MailPeriod("week", int.MinValue, points), new MailPeriod("month", 0, points)]),
        };
        var plan = new Plan([Host("mx", monitoring), Host("mx2", monitoring with { Mail = new MailTraffic(DateTimeOffset.MaxValue, []) })]);

        var html = FleetHtmlView.Render(plan, HealthHistoryFile.Append(HealthHistory.Empty, plan), SampleFleet.At);

        Assert.Contains("id=\"host-mx\"", html);
    }

    /// <summary>The only bucket with traffic yet (a fresh Mailgraph's row in progress) is drawn as a visible dot, not a lone moveto.</summary>
    [Fact]
    public void A_value_with_no_known_neighbour_is_drawn_as_a_dot()
    {
        var points = Enumerable.Range(0, 5)
            .Select(i => new MailPoint(SampleFleet.At.AddMinutes(8 * i), new MailCounts(null, i == 4 ? 3 : null, null, i == 4 ? 1 : null, null, null))).ToList();
        var monitoring = new HostMonitoring { Mail = new MailTraffic(SampleFleet.At, [new MailPeriod("day", 480, points)]) };

        var html = FleetHtmlView.Render(new Plan([Host("mx", monitoring)]), HealthHistory.Empty, SampleFleet.At);

        Assert.Contains("data-series=\"received\" data-values=\",,,,3\" d=\"M", html);
        Assert.Matches(@"<path class=""s-received"" d=""M[0-9.]+,[0-9.]+ Z"" fill=""none"" stroke-width=""6"" stroke-linecap=""round"" aria-hidden=""true""/>", html);
        Assert.Matches(@"<path class=""s-rejected"" d=""M[0-9.]+,[0-9.]+ Z""", html);
        Assert.DoesNotMatch(@"<path class=""s-sent"" d=""", html);
    }

    [Fact]
    public void Huge_tiny_and_negative_values_plot_inside_the_chart()
    {
        var points = new[] { 1e308, double.MaxValue, double.Epsilon, 5e-320, -1, 0 }
            .Select((v, i) => new MailPoint(SampleFleet.At.AddMinutes(i), new MailCounts(v, double.Epsilon, double.MaxValue, 1e-300, -0.0, double.NaN))).ToList();
        var monitoring = new HostMonitoring { Mail = new MailTraffic(SampleFleet.At, [new MailPeriod("day", 60, points)]) };
        var history = new HealthHistory(new Dictionary<string, IReadOnlyList<HealthSample>>
        {
            ["mx"] = [new(SampleFleet.At, double.Epsilon, double.MaxValue, 1e308, int.MaxValue, 5e-324), new(SampleFleet.At, double.Epsilon, 1e308, double.MaxValue, int.MinValue, 0)],
        });

        var html = FleetHtmlView.Render(new Plan([Host("mx", monitoring)]), history, SampleFleet.At);

        foreach (Match d in PathData().Matches(html))
        {
            foreach (Match n in Regex.Matches(d.Groups[1].Value, @"[-0-9.eE+]+|[A-Za-z∞]+"))
            {
                if (n.Value is "M" or "L" or "Z") continue;
                Assert.True(double.TryParse(n.Value, System.Globalization.CultureInfo.InvariantCulture, out var v) && double.IsFinite(v), $"a path coordinate is '{n.Value}' in d=\"{d.Groups[1].Value}\"");
            }
        }

        foreach (Match max in DataMax().Matches(html))
        {
            Assert.True(double.TryParse(max.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture, out var m) && double.IsFinite(m) && m > 0, $"data-max=\"{max.Groups[1].Value}\"");
        }
    }

    [Fact]
    public void A_hostile_host_cannot_make_the_page_large()
    {
        // Shared instances keep the test's own memory small; the page sees each as a separate item all the same.
        var quotes = new string('"', 20_000);
        var points = Enumerable.Range(0, 4_000).Select(i => new MailPoint(SampleFleet.At.AddMinutes(i), new MailCounts(i, 1, 2, 3, 4, 5))).ToList();
        var filesystem = new FilesystemUse(quotes, quotes, quotes, 10, 5, 10, 5, MountCheck.Unavailable(quotes));
        var monitoring = new HostMonitoring
        {
            Health = SampleFleet.Health(disk: 50, inodes: 20, availableKiB: 1_000_000) with { Filesystems = Enumerable.Repeat(filesystem, 5_000).ToList() },
            Mail = new MailTraffic(SampleFleet.At, Enumerable.Repeat(new MailPeriod(quotes, 60, points), 100).ToList()),
            Findings = Enumerable.Repeat(new HealthFinding("inodes_used_max", quotes, quotes, quotes, true, "specs/h.yaml:1:1"), 5_000).ToList(),
            Errors = Enumerable.Repeat("mail_graphs: " + quotes, 5_000).ToList(),
        };
        var plan = new Plan(Enumerable.Range(0, 4).Select(i => Host($"mx-{i}", monitoring)).ToList());

        // No clock here (speed is the benchmarks', not a test's: this one failed at 32 s on a machine loaded 40-fold); a
        // render that went quadratic in the host's items would not end within CI's budget.
        var html = FleetHtmlView.Render(plan, HealthHistory.Empty, SampleFleet.At);

        Assert.True(html.Length <= FleetHtmlView.MaxChars + 1_000_000, $"the page is {html.Length:N0} characters");
        // What was left out is said, on each host that lost something.
        Assert.Contains("left out", html);
    }

    [Fact]
    public void A_value_too_long_for_the_page_is_left_out_whole_never_cut_inside_what_a_host_echoed()
    {
        const string Secret = "s3cret-VALUE-the-host-echoed-0123456789";
        var line = "mail_graphs: " + new string('x', FleetBudget.MaxValueChars - 20) + Secret;
        var plan = new Plan([Host("mx", new HostMonitoring { Errors = [line] })]);

        var html = FleetHtmlView.Render(plan, HealthHistory.Empty, SampleFleet.At);

        // The redactor masks whole values on the way to disk: no prefix of one may be left on the page.
        Assert.DoesNotContain(Secret[..8], html);
        Assert.Contains("too long to show here", html);
    }

    [GeneratedRegex("\\bid=\"([^\"]*)\"")]
    private static partial Regex Ids();

    [GeneratedRegex("\\bd=\"([^\"]*)\"")]
    private static partial Regex PathData();

    [GeneratedRegex("\\bdata-max=\"([^\"]*)\"")]
    private static partial Regex DataMax();
}
