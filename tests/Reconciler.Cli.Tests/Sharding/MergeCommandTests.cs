using Reconciler.Cli.Features;
using Reconciler.Cli.Tests.Fleet;
using Reconciler.Cli.Tests.GitHub;
using Reconciler.Cli.Views;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Tests.Sharding;

/// <summary>
/// Issue 22 item 3: <c>reconciler merge</c> run in-process over shard files written by the plan JSON view, as the
/// shards of a CI matrix write them. A drift run's every part — health figures, mail traffic, last apply, held lock —
/// survives the trip, so the merged report directory is what the whole run writes; parts that are not one run are
/// refused in one line.
/// </summary>
public sealed class MergeCommandTests : IDisposable
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private readonly string _dir = Directory.CreateTempSubdirectory("reconciler-merge-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The sample fleet as a drift run over a commit read it, with a last apply and a held lock besides.</summary>
    private static Plan Whole()
    {
        var fleet = SampleFleet.Mixed();
        var hosts = fleet.Hosts.Select((h, i) => i switch
        {
            0 => h with { Applied = new AppliedState(Commit, "2026-03-14T08:00:00Z", "ci") { CommitKnown = true, CommitsBehind = 2 } },
            1 => h with { LastApply = new LastApply(3, 1, 4, "2026-03-13T22:00:00Z", "ci pid 7", Unattended: true) },
            3 => h with { HeldLock = new HeldLock("runner-9 pid 4242 run 17", "2026-03-14T09:20:00Z", 413) },
            _ => h,
        }).Concat(Enumerable.Range(1, 6).Select(i => new HostPlan($"edge-{i}", []) { Monitoring = Core.Monitoring.HostMonitoring.Empty })).ToList();
        return fleet with { Hosts = hosts, Commit = Commit, KeyId = "hmac-sha256:0123456789abcdef", Digest = "hmac-sha256:" + new string('a', 64) };
    }

    /// <summary>Writes <paramref name="whole"/> as the <paramref name="count"/> shards a --shard K/N run would, each read a little later.</summary>
    private List<string> Shards(Plan whole, int count, string run, Func<int, Plan, Plan>? change = null)
    {
        var files = new List<string>();
        for (var k = 1; k <= count; k++)
        {
            var shard = new Shard(k, count);
            var part = whole with
            {
                Hosts = whole.Hosts.Where(h => shard.Owns(h.Host)).ToList(),
                Digest = "hmac-sha256:" + new string((char)('0' + k), 64),
                Shard = new PlanShard(shard, run, whole.Digest, whole.Hosts.Select(h => h.Host).ToList()),
            };
            part = change?.Invoke(k, part) ?? part;
            var file = Path.Combine(_dir, $"{run}-{k}.json");
            File.WriteAllText(file, PlanJsonView.Render(part, SampleFleet.At.AddSeconds(count - k)));
            files.Add(file);
        }

        return files;
    }

    private static Task<(int Exit, string Out, string Error)> RunAsync(params string[] args) => RunAsync(null, args);

    /// <param name="github">The stand-in GitHub the run posts to (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL); none when null.</param>
    private static async Task<(int Exit, string Out, string Error)> RunAsync(FakeGitHubServer? github, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var environment = github is null ? new Dictionary<string, string>() : new()
        {
            ["GITHUB_TOKEN"] = "test-token", ["GITHUB_REPOSITORY"] = "acme/infra", ["GITHUB_API_URL"] = github.BaseUrl,
        };
        var exit = await App.RunAsync(args, new Terminal(output, error, false, false), null, default, environment.GetValueOrDefault, environment.Keys);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Merged_plan_shards_post_the_one_comment_the_whole_plan_would()
    {
        await using var github = new FakeGitHubServer();
        var whole = Whole() with { Hosts = Whole().Hosts.Select(h => h with { Monitoring = null }).ToList() };

        var (exit, output, error) = await RunAsync(github, ["merge", .. Shards(whole, 3, PlanShard.PlanRun), "--comment", "--pr", "7"]);

        Assert.True(exit == ExitCodes.For(whole), output + error);
        Assert.Equal(PlanCommentView.Render(whole), Assert.Single(github.CommentsOn(7)).Body);
    }

    [Fact]
    public async Task Merged_drift_shards_keep_one_issue_per_host_over_the_whole_fleet()
    {
        await using var github = new FakeGitHubServer();
        var whole = Whole();
        var attention = whole.Hosts.Count(h => h.Error is null && DriftIssueView.Wanted(h));

        var (exit, output, error) = await RunAsync(github, ["merge", .. Shards(whole, 3, PlanShard.DriftRun), "--issues", "--report-dir", Path.Combine(_dir, "report")]);

        Assert.True(exit == ExitCodes.ForDrift(whole, failed: false), output + error);
        Assert.True(attention > 1, "the sample must have hosts in more than one state worth an issue");
        Assert.Equal(attention, github.Issues.Count(i => i.State == "open"));
        Assert.Equal(attention, output.Split('\n').Count(l => l.StartsWith("Drift issue for ", StringComparison.Ordinal) && l.Contains(": opened", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Drift_shards_merge_into_the_report_directory_the_whole_run_writes()
    {
        var whole = Whole();
        Assert.All(Enumerable.Range(1, 3), k => Assert.Contains(whole.Hosts, h => new Shard(k, 3).Owns(h.Host)));
        var files = Shards(whole, 3, PlanShard.DriftRun);
        var report = Path.Combine(_dir, "report");

        var (exit, output, error) = await RunAsync(["merge", files[2], files[0], files[1], "--report-dir", report]);

        Assert.True(exit == ExitCodes.ForDrift(whole, failed: false), output + error);
        Assert.Equal(DriftMarkdownView.Render(whole, SampleFleet.At), File.ReadAllText(Path.Combine(report, "drift.md")));
        Assert.Equal(PlanJsonView.Render(whole, SampleFleet.At), File.ReadAllText(Path.Combine(report, "drift.json")));
        Assert.Equal(DriftHtmlView.Render(whole, SampleFleet.At), File.ReadAllText(Path.Combine(report, "drift.html")));
        var history = HealthHistoryFile.Read(Path.Combine(report, HealthHistoryFile.FileName), out _);
        Assert.Equal(FleetHtmlView.Render(whole, history, SampleFleet.At), File.ReadAllText(Path.Combine(report, "fleet.html")));
        Assert.Equal(DriftTextView.Render(whole, Styles.Plain), output[..output.IndexOf("Report written to", StringComparison.Ordinal)]);
        // The merged report is a whole run's: no shard record, no figures only a shard carries
        Assert.DoesNotContain("\"shard\"", File.ReadAllText(Path.Combine(report, "drift.json")));
    }

    [Theory]
    [InlineData("json")]
    [InlineData("markdown")]
    [InlineData("text")]
    public async Task Plan_shards_merge_into_the_whole_plan_in_every_format(string format)
    {
        var whole = Whole() with { Hosts = Whole().Hosts.Select(h => h with { Monitoring = null }).ToList() };
        var files = Shards(whole, 3, PlanShard.PlanRun);
        var merged = Path.Combine(_dir, "merged." + format);

        var (exit, output, error) = await RunAsync(["merge", .. files, "--format", format, "--out", merged]);

        Assert.True(exit == ExitCodes.For(whole), output + error);
        var expected = format switch
        {
            "json" => PlanJsonView.Render(whole, SampleFleet.At),
            "markdown" => PlanMarkdownView.Render(whole),
            _ => PlanTextView.Render(whole, Styles.Plain),
        };
        Assert.Equal(expected, File.ReadAllText(merged));
        Assert.StartsWith(PlanSummary.Line(whole), output);
    }

    [Fact]
    public async Task A_missing_shard_is_refused_naming_which()
    {
        var files = Shards(Whole(), 4, PlanShard.PlanRun);

        var (exit, _, error) = await RunAsync("merge", files[0], files[2], "--format", "json", "--out", Path.Combine(_dir, "out.json"));

        Assert.Equal(1, exit);
        Assert.Equal("merge: refused: missing shards 2, 4 of 4: every shard's file is needed\n", error.ReplaceLineEndings("\n"));
        Assert.False(File.Exists(Path.Combine(_dir, "out.json")));
    }

    [Fact]
    public async Task A_shard_given_twice_is_refused()
    {
        var files = Shards(Whole(), 2, PlanShard.PlanRun);
        var copy = Path.Combine(_dir, "copy.json");
        File.Copy(files[1], copy);

        var (exit, _, error) = await RunAsync("merge", files[0], files[1], copy);

        Assert.Equal(1, exit);
        Assert.Equal($"merge: refused: shard 2/2 is given twice: {files[1]} and {copy}\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Shards_of_different_commits_are_refused()
    {
        var files = Shards(Whole(), 3, PlanShard.PlanRun, (k, p) => k == 2 ? p with { Commit = "fedcba9876543210fedcba9876543210fedcba98" } : p);

        var (exit, _, error) = await RunAsync(["merge", .. files]);

        Assert.Equal(1, exit);
        Assert.Equal($"merge: refused: {files[1]} was made at commit fedcba9 and {files[0]} at 0123456\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Shards_of_different_specs_are_refused()
    {
        var files = Shards(Whole(), 3, PlanShard.PlanRun,
            (k, p) => k == 3 ? p with { Shard = p.Shard! with { Digest = "hmac-sha256:" + new string('b', 64) } } : p);

        var (exit, _, error) = await RunAsync(["merge", .. files]);

        Assert.Equal(1, exit);
        Assert.Equal($"merge: refused: {files[2]} and {files[0]} were made from different specs or host selections (their desired-state digests or hosts differ)\n",
            error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Plan_and_drift_shards_are_not_mixed()
    {
        var plans = Shards(Whole(), 2, PlanShard.PlanRun);
        var drifts = Shards(Whole(), 2, PlanShard.DriftRun);

        var (exit, _, error) = await RunAsync("merge", plans[0], drifts[1]);

        Assert.Equal(1, exit);
        Assert.Equal($"merge: refused: {drifts[1]} is a drift shard and {plans[0]} a plan shard; merge the shards of one run\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Shards_disagreeing_on_N_are_refused()
    {
        var threes = Shards(Whole(), 3, PlanShard.PlanRun);
        var first = Path.Combine(_dir, "of-three.json");
        File.Move(threes[0], first);
        var twos = Shards(Whole(), 2, PlanShard.PlanRun);

        var (exit, _, error) = await RunAsync("merge", first, twos[1]);

        Assert.Equal(1, exit);
        Assert.Equal($"merge: refused: {twos[1]} is shard 2/2 and {first} is shard 1/3: the shards disagree on N\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_whole_run_is_not_a_shard()
    {
        var whole = Path.Combine(_dir, "whole.json");
        File.WriteAllText(whole, PlanJsonView.Render(Whole(), SampleFleet.At));

        var (exit, _, error) = await RunAsync("merge", whole);

        Assert.Equal(1, exit);
        Assert.Equal($"merge: refused: {whole} is not a shard (it was made without --shard K/N)\n", error.ReplaceLineEndings("\n"));
    }

    /// <summary>
    /// A shard's file comes from a job that read a pull request's specs and hosts' answers: every field of it is held to
    /// the shape the plan JSON declares. Each of these once ended merge with a stack trace (a null where the reader
    /// expected a value) or ran it without end (N = 2147483647 listed two billion missing shards), or, for a run that is
    /// neither plan nor drift, merged it as a plan.
    /// </summary>
    [Theory]
    [InlineData("host null")]
    [InlineData("host name null")]
    [InlineData("host name missing")]
    [InlineData("change source null")]
    [InlineData("change kind null")]
    [InlineData("attribute name null")]
    [InlineData("finding rule null")]
    [InlineData("monitoring error null")]
    [InlineData("run host null")]
    [InlineData("run apply")]
    [InlineData("count huge")]
    [InlineData("count 257")]
    [InlineData("index 0")]
    [InlineData("format 2")]
    public async Task A_shard_file_with_any_field_out_of_shape_is_refused_in_one_line(string mutation)
    {
        // One shard of one: every host, so every field is in the one file.
        var files = Shards(Whole(), 1, PlanShard.DriftRun);
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(files[0]))!;
        var hosts = node["hosts"]!.AsArray();
        var changed = hosts.First(h => h!["changes"]!.AsArray().Any(c => c!["attributes"]!.AsArray().Count > 0))!;
        var monitored = hosts.First(h => h!["monitoring"]?["findings"]?.AsArray().Count > 0)!;
        switch (mutation)
        {
            case "host null": hosts[0] = null; break;
            case "host name null": hosts[0]!["name"] = null; break;
            case "host name missing": hosts[0]!.AsObject().Remove("name"); break;
            case "change source null": changed["changes"]![0]!["source"] = null; break;
            case "change kind null": changed["changes"]![0]!["kind"] = null; break;
            case "attribute name null": changed["changes"]![0]!["attributes"]![0]!["name"] = null; break;
            case "finding rule null": monitored["monitoring"]!["findings"]![0]!["rule"] = null; break;
            case "monitoring error null": monitored["monitoring"]!["errors"]!.AsArray().Add(null); break;
            case "run host null": node["shard"]!["hosts"]![0] = null; break;
            case "run apply": node["shard"]!["run"] = "apply"; break;
            case "count huge": node["shard"]!["count"] = int.MaxValue; break;
            case "count 257": node["shard"]!["count"] = 257; break;
            case "index 0": node["shard"]!["index"] = 0; break;
            case "format 2": node["format_version"] = "2"; break;
        }

        File.WriteAllText(files[0], node.ToJsonString());

        var (exit, output, error) = await RunAsync(["merge", .. files, "--report-dir", Path.Combine(_dir, "report")]).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.StartsWith($"merge: {files[0]}: not a reconciler plan", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(_dir, "report")));
    }

    /// <summary>
    /// A secret is written by a shard as sensitive with neither side; a shard's file that carries values beside the flag
    /// anyway (a hostile or hand-edited part) still shows only that the secret changes, in every form merge writes.
    /// </summary>
    [Theory]
    [InlineData("markdown")]
    [InlineData("text")]
    [InlineData("json")]
    public async Task A_sensitive_attribute_of_a_shard_shows_no_value_whatever_its_file_carries(string format)
    {
        var files = Shards(Whole() with { Hosts = Whole().Hosts.Select(h => h with { Monitoring = null }).ToList() }, 1, PlanShard.PlanRun);
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(files[0]))!;
        var attribute = node["hosts"]!.AsArray().SelectMany(h => h!["changes"]!.AsArray()).SelectMany(c => c!["attributes"]!.AsArray()).First()!;
        attribute["sensitive"] = true;
        attribute["before"] = "hunter2-before";
        attribute["after"] = "hunter2-after";
        File.WriteAllText(files[0], node.ToJsonString());
        var merged = Path.Combine(_dir, "merged." + format);

        var (_, output, error) = await RunAsync("merge", files[0], "--format", format, "--out", merged);

        Assert.Equal("", error);
        Assert.DoesNotContain("hunter2", File.ReadAllText(merged) + output);
        Assert.Contains("sensitive", File.ReadAllText(merged) + output);
    }

    [Fact]
    public async Task A_part_holding_a_host_of_another_shard_is_refused_though_the_hosts_add_up()
    {
        var whole = Whole();
        var moved = whole.Hosts.First(h => new Shard(2, 2).Owns(h.Host));
        var files = Shards(whole, 2, PlanShard.PlanRun, (k, p) => p with
        {
            Hosts = k == 1 ? [.. p.Hosts, moved] : p.Hosts.Where(h => h.Host != moved.Host).ToList(),
        });

        var (exit, _, error) = await RunAsync(["merge", .. files]);

        Assert.Equal(1, exit);
        Assert.Equal($"merge: refused: {files[0]} is shard 1/2 but holds host '{moved.Host}', which falls to shard 2/2\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Parts_that_swap_their_shard_numbers_are_refused()
    {
        var files = Shards(Whole(), 2, PlanShard.PlanRun, (k, p) => p with { Shard = p.Shard! with { Shard = new Shard(3 - k, 2) } });

        var (exit, _, error) = await RunAsync(["merge", .. files]);

        Assert.Equal(1, exit);
        Assert.StartsWith($"merge: refused: {files[0]} is shard 2/2 but holds host '", error);
    }

    [Fact]
    public async Task A_run_listing_a_host_twice_is_refused()
    {
        var whole = Whole();
        var files = Shards(whole, 2, PlanShard.PlanRun, (_, p) => p with { Shard = p.Shard! with { Hosts = [.. p.Shard.Hosts, whole.Hosts[0].Host] } });

        var (exit, _, error) = await RunAsync(["merge", .. files]);

        Assert.Equal(1, exit);
        Assert.Equal($"merge: refused: {files[0]} lists host '{whole.Hosts[0].Host}' twice among the run's hosts\n", error.ReplaceLineEndings("\n"));
    }

    /// <summary>
    /// Merge (and apply --plan) read a plan file only if it is a regular file and not larger than the bound: a FIFO once
    /// blocked the run for good, and a file of any size was read whole into memory.
    /// </summary>
    [Fact]
    public async Task A_shard_file_that_is_not_a_regular_file_or_is_too_large_is_refused_in_one_line()
    {
        var files = Shards(Whole(), 2, PlanShard.PlanRun);
        var fifo = Path.Combine(_dir, "fifo.json");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])!)
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var huge = Path.Combine(_dir, "huge.json");
        using (var stream = File.Create(huge)) stream.SetLength(PlanFile.MaxBytes + 1L);

        var blocked = await RunAsync("merge", files[0], fifo).WaitAsync(TimeSpan.FromSeconds(60));
        var large = await RunAsync("merge", huge, files[1]);
        var applied = await RunAsync("apply", "--specs", _dir, "--plan", huge);

        Assert.Equal((1, $"merge: {fifo}: it is a FIFO, not a regular file\n"), (blocked.Exit, blocked.Error.ReplaceLineEndings("\n")));
        Assert.Equal((1, $"merge: {huge}: not a reconciler plan: larger than 256 MiB\n"), (large.Exit, large.Error.ReplaceLineEndings("\n")));
        Assert.Equal((1, $"apply --plan {huge}: not a reconciler plan: larger than 256 MiB\n"), (applied.Exit, applied.Error.ReplaceLineEndings("\n")));
    }

    [Theory]
    [InlineData("plan")]
    [InlineData("drift")]
    [InlineData("apply")]
    public async Task A_malformed_shard_is_one_line_and_exit_1(string command)
    {
        foreach (var text in new[] { "0/3", "4/3", "3", "a/b", "1/0", "-1/2", "1/2/3", "0/0", "1/257", "1/2147483647" })
        {
            var (exit, output, error) = await RunAsync([command, "--specs", _dir, "--shard", text, .. command == "apply" ? new[] { "--yes" } : []]);

            Assert.Equal(1, exit);
            Assert.Equal($"--shard '{text}': expected K/N with 1 <= K <= N <= 256, e.g. 2/3\n", error.ReplaceLineEndings("\n"));
            Assert.Equal("", output);
        }
    }

    [Fact]
    public async Task A_shard_neither_comments_nor_keeps_issues_the_merge_does()
    {
        var plan = await RunAsync("plan", "--specs", _dir, "--shard", "1/2", "--comment");
        var drift = await RunAsync("drift", "--specs", _dir, "--shard", "1/2", "--issues");

        Assert.Equal((1, "--comment with --shard: a shard holds part of the plan; post the comment with reconciler merge --comment\n"), (plan.Exit, plan.Error.ReplaceLineEndings("\n")));
        Assert.Equal((1, "--issues with --shard: a shard holds part of the fleet; sync the issues with reconciler merge --issues\n"), (drift.Exit, drift.Error.ReplaceLineEndings("\n")));
    }
}
