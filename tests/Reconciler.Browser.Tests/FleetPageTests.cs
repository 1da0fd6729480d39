using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Reconciler.Cli.Tests.Fleet;
using Reconciler.Cli.Views;
using Reconciler.Core.Monitoring;

namespace Reconciler.Browser.Tests;

/// <summary>fleet.html in Debian's Chromium: it loads clean and offline, sorts, filters, draws the exported numbers, links and fits.</summary>
[Collection(ChromiumCollection.Name)]
public sealed partial class FleetPageTests(Chromium chromium)
{
    private const int Columns = 8;

    [Fact]
    public async Task Page_loads_with_no_console_message_no_error_and_no_request_but_itself()
    {
        await using var opened = await OpenedPage.OpenAsync(chromium.Browser, SampleFleet.Mixed(), SampleFleet.History());

        Assert.Empty(opened.Console);
        Assert.Empty(opened.Errors);
        Assert.Equal([opened.Url], opened.Requests);
        // The script ran (the CSP let its hash through): it shows the filter it hides from a page without script.
        Assert.True(await opened.Page.Locator("#status-filter").IsVisibleAsync());
        Assert.Equal("Fleet", await opened.Page.Locator("h1").TextContentAsync());
    }

    [Fact]
    public async Task Table_sorts_by_every_column_both_ways_by_click_and_by_keyboard()
    {
        await using var opened = await OpenedPage.OpenAsync(chromium.Browser, SampleFleet.Mixed(), SampleFleet.History());
        var page = opened.Page;
        var before = await Keys(page, 0);

        for (var col = 0; col < Columns; col++)
        {
            var header = page.Locator("#fleet thead th").Nth(col);
            var numeric = await header.GetAttributeAsync("data-type") == "number";

            await header.Locator("button").ClickAsync();
            Assert.Equal("ascending", await header.GetAttributeAsync("aria-sort"));
            AssertOrdered(await Keys(page, col), numeric, ascending: true, $"column {col} ascending");

            // The second sort by keyboard: focus the heading's button and press Enter.
            await header.Locator("button").FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            Assert.Equal("descending", await header.GetAttributeAsync("aria-sort"));
            AssertOrdered(await Keys(page, col), numeric, ascending: false, $"column {col} descending");
            Assert.Equal(1, await page.Locator("#fleet thead th:not([aria-sort=\"none\"])").CountAsync());
        }

        Assert.Equal(before.Order(StringComparer.Ordinal), (await Keys(page, 0)).Order(StringComparer.Ordinal));
        Assert.Empty(opened.Console);
    }

    [Fact]
    public async Task Table_filters_by_status()
    {
        var plan = SampleFleet.Mixed();
        await using var opened = await OpenedPage.OpenAsync(chromium.Browser, plan, HealthHistory.Empty);
        var page = opened.Page;

        foreach (var status in new[] { DriftRows.InSync, DriftRows.Drifted, DriftRows.NeedsAttention, DriftRows.Unreachable })
        {
            await page.Locator($"#status-filter button[data-status=\"{status}\"]").ClickAsync();

            var shown = await page.Locator("#fleet tbody tr:visible").EvaluateAllAsync<string[]>("rows => rows.map(r => r.cells[0].getAttribute('data-sort'))");
            Assert.Equal(plan.Hosts.Where(h => DriftRows.Status(h) == status).Select(h => h.Host), shown);
            Assert.Equal("true", await page.Locator($"#status-filter button[data-status=\"{status}\"]").GetAttributeAsync("aria-pressed"));
        }

        await page.Locator("#status-filter button[data-status=\"\"]").ClickAsync();
        Assert.Equal(plan.Hosts.Count, await page.Locator("#fleet tbody tr:visible").CountAsync());
    }

    [Fact]
    public async Task Every_plotted_point_of_a_mail_chart_is_the_exported_number()
    {
        var plan = SampleFleet.Mixed();
        var mail = plan.Hosts.Single(h => h.Host == "mx-2").Monitoring!.Mail!;
        await using var opened = await OpenedPage.OpenAsync(chromium.Browser, plan, HealthHistory.Empty);
        var page = opened.Page;

        for (var p = 0; p < mail.Periods.Count; p++)
        {
            var period = mail.Periods[p];
            var svg = page.Locator($"#mail{p}-host-mx-2 svg");
            var max = Number(await svg.GetAttributeAsync("data-max"));
            var top = Number(await svg.GetAttributeAsync("data-top"));
            var height = Number(await svg.GetAttributeAsync("data-height"));
            var left = Number(await svg.GetAttributeAsync("data-left"));
            var right = Number(await svg.GetAttributeAsync("data-right"));

            // Named for a screen reader: the host, the period and the series.
            var name = await svg.EvaluateAsync<string>("s => s.getAttribute('aria-labelledby').split(' ').map(id => document.getElementById(id).textContent).join(' ')");
            Assert.Contains($"Mail traffic on mx-2, {period.Name}", name);
            Assert.Contains("sent, received, bounced, rejected, spam and virus", name);

            for (var s = 0; s < MailCounts.SeriesNames.Count; s++)
            {
                var line = svg.Locator($"path[data-series=\"{MailCounts.SeriesNames[s]}\"]");
                var exported = period.Points.Select(pt => pt.Counts.Values[s]).ToList();
                var shown = (await line.GetAttributeAsync("data-values"))!.Split(',').Select(v => v == "" ? (double?)null : Number(v)).ToList();
                Assert.Equal(exported, shown);

                // The line itself: one vertex per known value, at its bucket's x and its value's height.
                var vertices = Vertices().Matches((await line.GetAttributeAsync("d"))!).Select(m => (X: Number(m.Groups[1].Value), Y: Number(m.Groups[2].Value))).ToList();
                var known = exported.Select((v, i) => (Value: v, Index: i)).Where(v => v.Value is not null).ToList();
                Assert.Equal(known.Count, vertices.Count);
                for (var i = 0; i < known.Count; i++)
                {
                    Assert.Equal(left + (right - left) * known[i].Index / (exported.Count - 1), vertices[i].X, 0.01);
                    Assert.Equal(known[i].Value!.Value, max * (1 - (vertices[i].Y - top) / height), max / 1000);
                }

                Assert.Contains($"mx-2, {period.Name}, {MailCounts.SeriesNames[s]}", await line.Locator("title").TextContentAsync());
            }
        }
    }

    [Fact]
    public async Task Period_tabs_show_one_chart_at_a_time_by_click_and_arrow_keys()
    {
        await using var opened = await OpenedPage.OpenAsync(chromium.Browser, SampleFleet.Mixed(), HealthHistory.Empty);
        var page = opened.Page;
        var tabs = page.Locator("#host-mx-2 [role=\"tab\"]");

        Assert.Equal(["day", "week", "month", "year"], await tabs.AllTextContentsAsync());
        Assert.True(await page.Locator("#mail0-host-mx-2").IsVisibleAsync());
        Assert.False(await page.Locator("#mail1-host-mx-2").IsVisibleAsync());

        await tabs.Nth(2).ClickAsync();
        Assert.Equal("true", await tabs.Nth(2).GetAttributeAsync("aria-selected"));
        Assert.True(await page.Locator("#mail2-host-mx-2").IsVisibleAsync());
        Assert.False(await page.Locator("#mail0-host-mx-2").IsVisibleAsync());

        await page.Keyboard.PressAsync("ArrowRight");
        Assert.True(await page.Locator("#mail3-host-mx-2").IsVisibleAsync());
        Assert.Equal("true", await tabs.Nth(3).GetAttributeAsync("aria-selected"));
    }

    [Fact]
    public async Task Health_figures_sparklines_and_stale_mail_are_shown()
    {
        var history = SampleFleet.History();
        await using var opened = await OpenedPage.OpenAsync(chromium.Browser, SampleFleet.Mixed(), history);
        var page = opened.Page;

        var sparks = page.Locator("#host-mx-2 .sparks svg");
        Assert.Equal(5, await sparks.CountAsync());
        var inodes = sparks.Nth(1);
        Assert.Equal(history.Of("mx-2").Select(s => s.InodesUsedPercent), (await inodes.GetAttributeAsync("data-values"))!.Split(',').Select(v => (double?)Number(v)));
        Assert.StartsWith("mx-2, inodes used, fullest filesystem (%) over the last 12 runs", await inodes.GetAttributeAsync("aria-label"));
        Assert.Contains("older than 2 hours", await page.Locator("#host-mx-2 p.stale").TextContentAsync());
        Assert.Equal(0, await page.Locator("#host-mail-1 p.stale").CountAsync());
        Assert.Contains("MemFree + Inactive", await page.Locator("#host-mx-2 dl.facts").TextContentAsync());
        Assert.Contains("not available: device not readable", await page.Locator("#host-mx-2 table.filesystems").TextContentAsync());
        Assert.Contains("93.1 %", await page.Locator("#host-mx-2 table.findings").TextContentAsync());
    }

    [Fact]
    public async Task A_link_to_a_host_anchor_scrolls_its_section_into_view()
    {
        var anchor = FleetAnchor.Of(SampleFleet.LongName);
        await using var opened = await OpenedPage.OpenAsync(chromium.Browser, SampleFleet.Mixed(), SampleFleet.History(), 390, 800, "#" + anchor);
        var page = opened.Page;

        Assert.InRange(await page.Locator($"[id=\"{anchor}\"]").EvaluateAsync<double>("e => e.getBoundingClientRect().top"), -1, 5);

        // From the table: back to the top, then the host's link.
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.Locator("#fleet a[href=\"#host-web-3\"]").ClickAsync();
        Assert.InRange(await page.Locator("#host-web-3").EvaluateAsync<double>("e => e.getBoundingClientRect().top"), -1, 5);
    }

    [Theory]
    [InlineData(390, 844)]
    [InlineData(1440, 900)]
    public async Task Layout_has_no_horizontal_overflow(int width, int height)
    {
        await using var opened = await OpenedPage.OpenAsync(chromium.Browser, SampleFleet.Mixed(), SampleFleet.History(), width, height);

        var scrollWidth = await opened.Page.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth");
        await opened.ScreenshotAsync($"fleet-{width}");

        Assert.True(scrollWidth <= width, $"the page is {scrollWidth} px wide in a {width} px viewport");
    }

    [Fact]
    public async Task Hostile_names_errors_subjects_and_mounts_stay_text_and_run_nothing()
    {
        var plan = SampleFleet.Hostile();
        await using var opened = await OpenedPage.OpenAsync(chromium.Browser, plan, HealthHistory.Empty, 390, 844);
        var page = opened.Page;
        await opened.ScreenshotAsync("fleet-hostile-390");

        Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned ?? null"));
        Assert.Empty(opened.Dialogs);
        Assert.Empty(opened.Errors);
        Assert.Empty(opened.Console); // a blocked inline script or handler would be a CSP violation logged here
        Assert.Equal([opened.Url], opened.Requests);
        Assert.Equal(0, await page.Locator("img, iframe, object, embed, b").CountAsync());
        Assert.Equal(1, await page.Locator("script").CountAsync());
        Assert.Equal(0, await page.Locator("a[href^=\"javascript\" i]").CountAsync());

        // Literally as the host gave it.
        Assert.Equal(plan.Hosts.Select(h => h.Host), await page.Locator("section.host h2 code").AllTextContentsAsync());
        var first = page.Locator("section.host").First;
        Assert.Contains($"/mnt/{SampleFleet.Image}", await first.Locator("table.filesystems").TextContentAsync());
        Assert.Contains($"mail_graphs: {SampleFleet.Image} {SampleFleet.Script}", await first.Locator("ul.error").TextContentAsync());
        Assert.Contains($"inodes{SampleFleet.Script}", await first.Locator("table.findings").TextContentAsync());
        Assert.Equal(SampleFleet.Image, await first.Locator("[role=\"tab\"]").TextContentAsync());

        // Clicking every link and tab still runs nothing and loads nothing.
        foreach (var link in await page.Locator("a, button").AllAsync())
        {
            if (await link.IsVisibleAsync()) await link.ClickAsync();
        }

        Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned ?? null"));
        Assert.Empty(opened.Dialogs);
        Assert.Equal([opened.Url], opened.Requests);
    }

    private static Task<string[]> Keys(IPage page, int col) =>
        page.Locator("#fleet tbody tr").EvaluateAllAsync<string[]>($"rows => rows.map(r => r.cells[{col}].getAttribute('data-sort'))");

    /// <summary>Known values in order (numbers as numbers, text by code unit like the page), hosts without the figure last.</summary>
    private static void AssertOrdered(string[] keys, bool numeric, bool ascending, string what)
    {
        var known = keys.TakeWhile(k => k != "").ToList();
        Assert.True(keys.Skip(known.Count).All(k => k == ""), $"{what}: a host without the figure is not last: {string.Join(" | ", keys)}");
        for (var i = 1; i < known.Count; i++)
        {
            var c = numeric ? Number(known[i - 1]).CompareTo(Number(known[i])) : string.CompareOrdinal(known[i - 1], known[i]);
            Assert.True(ascending ? c <= 0 : c >= 0, $"{what}: out of order: {string.Join(" | ", keys)}");
        }

    }

    private static double Number(string? text) => double.Parse(text!, NumberStyles.Float, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"[ML](-?[0-9.]+),(-?[0-9.]+)")]
    private static partial Regex Vertices();
}
