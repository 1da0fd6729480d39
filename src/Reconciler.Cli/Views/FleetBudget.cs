namespace Reconciler.Cli.Views;

/// <summary>
/// What one fleet page may spend, over the whole run rather than per item, so that no host's answers (any number of
/// filesystems, findings, error lines, periods and points, any text) can make the page large or slow: host text is
/// bounded per value and its encoded length charged to the run; list rows, charts and chart points are counted against the run.
/// What no longer fits is left out and the page says so where it would have been. The page's own markup per host is
/// bounded by the hosts of the inventory, which the specs' budget bounds. Together about <see cref="FleetHtmlView.MaxChars"/>.
/// </summary>
internal sealed class FleetBudget
{
    /// <summary>A longer value is replaced by its length (a host's stderr is cut at 300 elsewhere).</summary>
    public const int MaxValueChars = 1_000;

    /// <summary>Encoded characters of host and spec text over the page.</summary>
    public const long MaxTextChars = 8L * 1024 * 1024;

    /// <summary>Table rows and list items over the page: filesystems, breached rules, monitoring errors, differences.</summary>
    public const int MaxRows = 20_000;

    /// <summary>Charts over the page (Mailgraph has four periods per host).</summary>
    public const int MaxCharts = 2_000;

    /// <summary>Points over the page; each is drawn once per series, about 130 characters.</summary>
    public const int MaxPoints = 150_000;

    /// <summary>One chart's points (Mailgraph's exports have hundreds): more is drawn as a note, not a line.</summary>
    public const int MaxPointsPerChart = 5_000;

    public const string LeftOut = "(left out: the page's size budget is spent)";

    private long text = MaxTextChars;
    private int rows = MaxRows;
    private int charts = MaxCharts;
    private int points = MaxPoints;

    /// <summary>Encoded for element content or a quoted attribute (<see cref="HtmlText.Encode"/>), cut and charged.</summary>
    public string Encode(string? value) => Charge(HtmlText.Encode(Cut(value)));

    /// <summary>One line (<see cref="HtmlText.Inline"/>), cut and charged.</summary>
    public string Inline(string? value) => Charge(HtmlText.Inline(Cut(value)));

    /// <summary>The items that still fit, in order, and how many did not.</summary>
    public (List<T> Shown, int LeftOut) Rows<T>(IEnumerable<T> items)
    {
        var shown = new List<T>();
        var left = 0;
        foreach (var item in items)
        {
            if (rows > 0)
            {
                rows--;
                shown.Add(item);
            }
            else
            {
                left++;
            }
        }

        return (shown, left);
    }

    /// <summary>The periods whose charts still fit, in order, and how many did not.</summary>
    public (List<T> Shown, int LeftOut) Charts<T>(IReadOnlyList<T> periods)
    {
        var n = Math.Min(charts, periods.Count);
        charts -= n;
        return (periods.Take(n).ToList(), periods.Count - n);
    }

    /// <summary>Null when a chart of <paramref name="count"/> points is drawn (and charged); else why it is not.</summary>
    public string? Points(int count)
    {
        if (count > MaxPointsPerChart) return $"{count:N0} points: more than a chart draws ({MaxPointsPerChart:N0}); not drawn.";
        if (count > points) return $"{count:N0} points: not drawn {LeftOut}.";
        points -= count;
        return null;
    }

    /// <summary>
    /// A value longer than <see cref="MaxValueChars"/> is not shown at all rather than cut: a cut could end inside a
    /// sensitive value the host echoed, and the redactor, which sees the written page, recognises only whole values.
    /// </summary>
    private static string Cut(string? value)
    {
        value ??= "";
        return value.Length <= MaxValueChars ? value : $"({value.Length:N0} characters: too long to show here; drift.json has findings and errors whole)";
    }

    private string Charge(string encoded)
    {
        if (encoded.Length > text) return LeftOut;
        text -= encoded.Length;
        return encoded;
    }
}
