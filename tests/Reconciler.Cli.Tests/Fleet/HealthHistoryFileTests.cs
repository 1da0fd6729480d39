using System.Diagnostics;
using Reconciler.Cli.Features;
using Reconciler.Cli.Redaction;
using Reconciler.Core.Monitoring;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Tests.Fleet;

/// <summary>monitoring-history.json: kept per host of the run, bounded, and a bad file never fails the run.</summary>
public sealed class HealthHistoryFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("history-").FullName;

    private string FilePath => Path.Combine(directory, HealthHistoryFile.FileName);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void No_file_is_an_empty_history_without_a_warning()
    {
        Assert.Empty(HealthHistoryFile.Read(FilePath, out var warning).Hosts);
        Assert.Null(warning);
    }

    [Fact]
    public void A_run_appends_one_sample_per_host_read_and_the_file_reads_back_the_same()
    {
        var plan = SampleFleet.Mixed();

        var history = HealthHistoryFile.Append(SampleFleet.History(), plan);
        File.WriteAllText(FilePath, HealthHistoryFile.Render(history));
        var read = HealthHistoryFile.Read(FilePath, out var warning);

        Assert.Null(warning);
        Assert.Equal(13, read.Of("mx-2").Count);
        Assert.Equal(HealthSample.Of(plan.Hosts[1].Monitoring!.Health!), read.Of("mx-2")[^1]);
        Assert.Equal(12, read.Of("db-1").Count); // unreachable: its samples kept, none added
        Assert.Equal(history.Of("mail-1"), read.Of("mail-1"));
    }

    [Fact]
    public void Hosts_not_in_the_run_are_dropped_and_each_host_keeps_at_most_the_maximum()
    {
        var old = Enumerable.Range(0, HealthHistory.MaxSamples + 5).Select(i => new HealthSample(SampleFleet.At.AddDays(-100 + i), i, null, null, null, null)).ToList();
        var history = new HealthHistory(new Dictionary<string, IReadOnlyList<HealthSample>> { ["mx-2"] = old, ["gone"] = old });

        var kept = HealthHistoryFile.Append(history, SampleFleet.Mixed());

        Assert.False(kept.Hosts.ContainsKey("gone"));
        Assert.Equal(HealthHistory.MaxSamples, kept.Of("mx-2").Count);
        Assert.Equal(SampleFleet.Mixed().Hosts[1].Monitoring!.Health!.ReadAt, kept.Of("mx-2")[^1].At);
        Assert.Equal(old[6], kept.Of("mx-2")[0]);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("{\"format_version\":\"9\",\"hosts\":{}}")]
    [InlineData("{\"format_version\":\"1\",\"hosts\":{\"a\":[{\"at\":\"yesterday\"}]}}")]
    public void A_malformed_file_is_one_warning_and_a_fresh_history(string text)
    {
        File.WriteAllText(FilePath, text);

        var history = HealthHistoryFile.Read(FilePath, out var warning);

        Assert.Empty(history.Hosts);
        Assert.NotNull(warning);
        Assert.DoesNotContain('\n', warning);
        Assert.Contains("starts afresh", warning);
    }

    [Fact]
    public void A_file_over_the_limit_is_not_read()
    {
        File.WriteAllText(FilePath, "{\"format_version\":\"1\",\"hosts\":{}}" + new string(' ', (int)HealthHistoryFile.MaxBytes));

        Assert.Empty(HealthHistoryFile.Read(FilePath, out var warning).Hosts);
        Assert.Contains("larger than 1024 KiB", warning);
    }

    // The report directory is restored from the Actions cache: what a cache entry holds there may be a link or a FIFO.
    private string Outside => Path.Combine(directory, "outside", "authorized_keys");

    private const string Kept = "ssh-ed25519 AAAA... kept";

    private Task<HealthHistory> KeepAsync(List<string> warnings) =>
        HealthHistoryFile.KeepAsync(directory, SampleFleet.Mixed(), new OutputFiles(new RedactionScope()), warnings.Add, CancellationToken.None);

    [Fact]
    public async Task A_link_planted_at_the_history_is_neither_read_nor_written_through()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Outside)!);
        File.WriteAllText(Outside, HealthHistoryFile.Render(SampleFleet.History()));
        File.CreateSymbolicLink(FilePath, Outside);
        var before = File.ReadAllText(Outside);
        var warnings = new List<string>();

        var history = await KeepAsync(warnings);

        Assert.Contains("symbolic link", Assert.Single(warnings));
        Assert.Single(history.Of("mx-2")); // the link's target was not read: only this run's sample
        Assert.Equal(before, File.ReadAllText(Outside));
        Assert.Null(new FileInfo(FilePath).LinkTarget);
        Assert.Single(HealthHistoryFile.Read(FilePath, out _).Of("mx-2"));
    }

    [Fact]
    public async Task A_link_planted_where_the_history_used_to_be_staged_is_not_written_through()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Outside)!);
        File.WriteAllText(Outside, Kept);
        File.CreateSymbolicLink(FilePath + ".tmp", Outside);

        await KeepAsync([]);

        Assert.Equal(Kept, File.ReadAllText(Outside));
        Assert.Equal([HealthHistoryFile.FileName, HealthHistoryFile.FileName + ".tmp", "outside"], Directory.GetFileSystemEntries(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_fifo_or_a_link_to_a_device_is_a_warning_not_a_hang_or_a_flood()
    {
        using (var mkfifo = Process.Start("mkfifo", FilePath)) await mkfifo.WaitForExitAsync();
        var read = Task.Run(() => (HealthHistoryFile.Read(FilePath, out var w), w));
        Assert.Same(read, await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(10))));
        var (history, fifoWarning) = await read;
        Assert.Empty(history.Hosts);
        Assert.Contains("FIFO", fifoWarning);

        File.Delete(FilePath);
        File.CreateSymbolicLink(FilePath, "/dev/zero");
        Assert.Empty(HealthHistoryFile.Read(FilePath, out var warning).Hosts);
        Assert.Contains("symbolic link", warning);
    }
}
