using Reconciler.Cli.Features;

namespace Reconciler.Cli.Tests.Watch;

public sealed class WatchIntervalTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h", 3600)]
    [InlineData("1h30m", 5400)]
    [InlineData("1d", 86400)]
    [InlineData(" 2m ", 120)]
    public void Parses_seconds_minutes_and_hours(string text, int seconds)
    {
        Assert.True(WatchInterval.TryParse(text, out var interval, out var error), error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), interval);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("5x")]
    [InlineData("m5")]
    [InlineData("-5m")]
    [InlineData("1.5h")]
    [InlineData("0s")]
    [InlineData("8d")]
    [InlineData("99999999999999999999999h")]
    public void Rejects_what_is_not_an_interval_of_1s_to_7d(string text)
    {
        Assert.False(WatchInterval.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
