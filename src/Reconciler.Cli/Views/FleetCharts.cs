using System.Globalization;
using System.Text;
using Reconciler.Core.Monitoring;
using Scriban.Runtime;

namespace Reconciler.Cli.Views;

/// <summary>
/// The fleet page's inline SVG, drawn on the controller: one chart per mail period (a line per series) and one sparkline
/// per health figure. Geometry is computed here; the template only places it. Every plotted series carries its exact
/// values (data-values, invariant round-trip numbers; empty where the RRD had no data) and the chart its scale
/// (data-max, data-top, data-height), so a reader or a test can take each point back off the page.
/// </summary>
internal static partial class FleetCharts
{
    public const double Width = 600;
    public const double Height = 200;
    public const double Left = 48;
    public const double Top = 10;
    public const double PlotWidth = Width - Left - 10;
    public const double PlotHeight = Height - Top - 30;

    public const double SparkWidth = 120;
    public const double SparkHeight = 28;

    public static ScriptObject Mail(string host, string anchor, int index, MailPeriod period, FleetBudget budget)
    {
        var id = FleetAnchor.Part($"mail{index}", anchor);
        var ids = new ScriptObject
        {
            ["id"] = id,
            ["tab_id"] = FleetAnchor.Part($"tab{index}", anchor),
            ["heading_id"] = FleetAnchor.Part($"head{index}", anchor),
            ["title_id"] = FleetAnchor.Part($"title{index}", anchor),
            ["desc_id"] = FleetAnchor.Part($"desc{index}", anchor),
            ["name"] = budget.Encode(period.Name),
        };

        // Checked before a series is computed, so an enormous export costs its count, not its drawing.
        if (budget.Points(period.Points.Count) is { } note)
        {
            ids["empty"] = true;
            ids["note"] = HtmlText.Encode(note);
            return ids;
        }

        var points = period.Points;
        var values = MailCounts.SeriesNames.Select((_, s) => points.Select(p => Finite(p.Counts.Values[s])).ToList()).ToList();
        var max = NiceCeiling(values.SelectMany(v => v).Where(v => v is not null).Select(v => v!.Value).DefaultIfEmpty(0).Max());
        var first = points.Count > 0 ? points[0].Start.ToUniversalTime() : (DateTimeOffset?)null;
        var last = points.Count > 0 ? Plus(points[^1].Start.ToUniversalTime(), period.StepSeconds) : (DateTimeOffset?)null;
        var totals = MailCounts.SeriesNames.Select((name, s) => $"{name} {Number(values[s].Sum() ?? 0)}");
        var label = $"Mail traffic on {host}, {period.Name}: messages per {Step(period.StepSeconds)} sent, received, bounced, rejected, spam and virus";
        foreach (var (key, value) in new ScriptObject
        {
            ["label"] = budget.Inline(label),
            // The row in progress is drawn like any other point; only the description says it is not complete yet.
            ["desc"] = HtmlText.Inline(first is null
                ? "No data points."
                : $"{points.Count} points from {first:yyyy-MM-dd HH:mm} to {last:yyyy-MM-dd HH:mm} UTC; totals: {string.Join(", ", totals)}."
                  + (points[^1].Partial ? $" Its last point, the {Step(period.StepSeconds)} from {points[^1].Start.ToUniversalTime():HH:mm} UTC, is still in progress: it holds only the minutes written so far." : "")),
            ["width"] = Number(Width),
            ["height"] = Number(Height),
            ["left"] = Number(Left),
            ["right"] = Number(Left + PlotWidth),
            ["top"] = Number(Top),
            ["bottom"] = Number(Top + PlotHeight),
            ["plot_height"] = Number(PlotHeight),
            ["axis_x"] = Number(Left - 4),
            ["max_y"] = Number(Top + 4),
            ["zero_y"] = Number(Top + PlotHeight + 4),
            ["time_y"] = Number(Top + PlotHeight + 18),
            ["max"] = Number(max),
            ["max_label"] = HtmlText.Encode(Number(max)),
            ["step"] = period.StepSeconds.ToString(CultureInfo.InvariantCulture),
            ["start"] = first is null ? "" : first.Value.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["from"] = first is null ? "" : $"{first:yyyy-MM-dd HH:mm}",
            ["to"] = last is null ? "" : $"{last:yyyy-MM-dd HH:mm} UTC",
            ["empty"] = points.Count == 0,
            ["note"] = "No data points.",
            ["series"] = MailCounts.SeriesNames.Select((name, s) => new ScriptObject
            {
                ["name"] = name,
                ["label"] = budget.Inline($"{host}, {period.Name}, {name}: total {Number(values[s].Sum() ?? 0)}, highest {Number(values[s].Max() ?? 0)}"),
                ["values"] = string.Join(",", values[s].Select(v => v is null ? "" : Number(v.Value))),
                ["d"] = Path(values[s], max, Left, Top, PlotWidth, PlotHeight),
                ["dots"] = Dots(Path(values[s], max, Left, Top, PlotWidth, PlotHeight)),
                ["total"] = Number(values[s].Sum() ?? 0),
            }).ToList(),
        })
        {
            ids[key] = value;
        }

        return ids;
    }

    /// <summary>A health figure over the kept runs; null with fewer than two values (no line to draw).</summary>
    public static ScriptObject? Spark(string host, string figure, IReadOnlyList<double?> history)
    {
        var values = history.Select(Finite).ToList();
        var known = values.Where(v => v is not null).Select(v => v!.Value).ToList();
        if (known.Count < 2) return null;
        var max = NiceCeiling(known.Max());
        return new ScriptObject
        {
            ["label"] = HtmlText.Inline($"{host}, {figure} over the last {values.Count} runs: from {Number(known[0])} to {Number(known[^1])}, highest {Number(known.Max())}"),
            ["values"] = string.Join(",", values.Select(v => v is null ? "" : Number(v.Value))),
            ["d"] = Path(values, max, 1, 1, SparkWidth - 2, SparkHeight - 2),
            ["max"] = Number(max),
            ["width"] = Number(SparkWidth),
            ["height"] = Number(SparkHeight),
        };
    }

    /// <summary>Exact, culture-free and round-trippable: what data-values hold and a test parses back.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// The line's lone points (a subpath "M x,y Z"), drawn again with a wide round cap so they read as dots: at the line's
    /// width a single bucket with traffic is a speck. Empty when the line has none.
    /// </summary>
    private static string Dots(string path) =>
        string.Join(" ", LonePoint().Matches(path).Select(m => m.Value));

    [System.Text.RegularExpressions.GeneratedRegex(@"M[-0-9.]+,[-0-9.]+ Z")]
    private static partial System.Text.RegularExpressions.Regex LonePoint();

    /// <summary>A line through the known values; a missing one breaks it (the next known value starts a new segment).</summary>
    private static string Path(IReadOnlyList<double?> values, double max, double left, double top, double width, double height)
    {
        var d = new StringBuilder();
        var pen = false;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is not { } v)
            {
                pen = false;
                continue;
            }

            var x = left + (values.Count == 1 ? width / 2 : width * i / (values.Count - 1));
            var y = top + height * (1 - v / max);
            var starts = !pen;
            d.Append(pen ? " L" : (d.Length == 0 ? "M" : " M"))
                .Append(x.ToString("0.##", CultureInfo.InvariantCulture)).Append(',')
                .Append(y.ToString("0.###", CultureInfo.InvariantCulture));
            // A value with no known neighbour (the only bucket with traffic yet) would be a moveto alone, which draws
            // nothing: closed, it is a zero-length subpath that a round line cap draws as a dot (see Dots).
            if (starts && (i + 1 == values.Count || values[i + 1] is null)) d.Append(" Z");
            pen = true;
        }

        return d.ToString();
    }

    /// <summary>
    /// The axis' top: 1, 2 or 5 times a power of ten at or above the highest value (1 when all are zero); the value itself
    /// where that is no finite, positive number (near double's largest value, or below its smallest power of ten), so a
    /// host's extreme figure never puts Infinity or NaN into a path.
    /// </summary>
    private static double NiceCeiling(double max)
    {
        if (!(max > 0) || !double.IsFinite(max)) return 1;
        var power = Math.Pow(10, Math.Floor(Math.Log10(max)));
        if (!(power > 0) || !double.IsFinite(power)) return max;
        foreach (var m in new[] { 1.0, 2, 5, 10 })
        {
            if (double.IsFinite(m * power) && m * power >= max) return m * power;
        }

        return max;
    }

    /// <summary>A host's time plus its step, held at the calendar's ends: a bucket at DateTimeOffset.MaxValue must not fail the page.</summary>
    private static DateTimeOffset Plus(DateTimeOffset time, int seconds)
    {
        try
        {
            return time.AddSeconds(seconds);
        }
        catch (ArgumentOutOfRangeException)
        {
            return seconds >= 0 ? DateTimeOffset.MaxValue : DateTimeOffset.MinValue;
        }
    }

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) && v >= 0 ? v : null;

    private static string Step(int seconds) => seconds switch
    {
        60 => "minute",
        3600 => "hour",
        86400 => "day",
        _ when seconds % 3600 == 0 => $"{seconds / 3600} hours",
        _ when seconds % 60 == 0 => $"{seconds / 60} minutes",
        _ => $"{seconds} seconds",
    };
}
