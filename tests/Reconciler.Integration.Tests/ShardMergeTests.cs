using System.Text.RegularExpressions;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>
/// Issue 22 item 3: plan and drift of a fleet run as 3 shards (the CI matrix's jobs) and joined by <c>reconciler merge</c>
/// write exactly what one unsharded run writes, timestamps aside. The fleet is cheap: seven inventory hosts that are
/// one container under seven names (each read over its own SSH connection, planned as its own host) and one host that
/// cannot be reached, with --hosts leaving one of them out first (selection, then the shard).
/// </summary>
public sealed class ShardMergeTests
{
    private const string Selection = "web*,gone";
    private static readonly string[] Fleet = ["web1", "web2", "web3", "web4", "web5", "web6", "web7", "db1"];

    [Fact]
    public async Task Plan_and_drift_sharded_three_ways_and_merged_equal_the_unsharded_run_byte_for_byte()
    {
        // Given eight hosts in the inventory, one of them unreachable, and the hardening spec (so every host has changes)
        await using var host = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync(Fleet.Select(name => (name, host, DebianHost.RootUser, "hardened")));
        specs.Write("inventory.yaml", File.ReadAllText(Path.Combine(specs.Directory, "inventory.yaml")) + $$"""
              gone:
                address: 127.0.0.1
                port: 1
                identity_file: {{SshKeyPair.Shared.PrivateKeyPath}}
                host_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEJtUxuTy1r6MvOdi/hrxqJP1BUicmr5R1J+UvnLsnqs"
                groups: [hardened]
                variables: { site: gone-site }
            """);
        HardeningSpec.WriteTo(specs);
        var work = Directory.CreateTempSubdirectory("reconciler-shards-").FullName;
        try
        {
            // When the plan runs whole, and as shards 1/3, 2/3 and 3/3 merged
            var whole = await CliRun.ExecAsync("plan", "--specs", specs.Directory, "--hosts", Selection, "--format", "json", "--out", At(work, "whole.json"));
            var shards = new List<string>();
            for (var k = 1; k <= 3; k++)
            {
                var part = await CliRun.ExecAsync("plan", "--specs", specs.Directory, "--hosts", Selection, "--shard", $"{k}/3", "--format", "json", "--out", At(work, $"plan-{k}.json"));
                Assert.True(part.ExitCode is 1 or 2, part.ToString());
                Assert.True(part.Stdout.Contains($"Shard {k}/3: "), part.ToString());
                shards.Add(At(work, $"plan-{k}.json"));
            }

            var merged = await CliRun.ExecAsync(["merge", .. shards, "--format", "json", "--out", At(work, "merged.json")]);
            var mergedMarkdown = await CliRun.ExecAsync(["merge", .. shards, "--format", "markdown"]);
            var wholeMarkdown = await CliRun.ExecAsync("plan", "--specs", specs.Directory, "--hosts", Selection, "--format", "markdown");

            // Then the merged plan is the whole plan (the unreachable host makes both exit 1), and every selected host is in it
            Assert.True(whole.ExitCode == 1, whole.ToString());
            Assert.True(merged.ExitCode == whole.ExitCode, merged.ToString());
            Assert.Equal(whole.Stdout, merged.Stdout.Replace(At(work, "merged.json"), At(work, "whole.json")));
            var wholeJson = File.ReadAllText(At(work, "whole.json"));
            Assert.Equal(Untimed(wholeJson), Untimed(File.ReadAllText(At(work, "merged.json"))));
            Assert.Equal(8, Regex.Matches(wholeJson, "\"status\": ").Count);
            // The host left out by --hosts is not in the plan (quoted: a commit hash may well contain "db1")
            Assert.DoesNotContain("\"db1\"", wholeJson);
            Assert.Equal(wholeMarkdown.Stdout, mergedMarkdown.Stdout);
            Assert.Equal(wholeMarkdown.ExitCode, mergedMarkdown.ExitCode);

            // When drift runs whole, and as three shards whose drift.json are merged into a report directory
            var wholeDrift = await CliRun.ExecAsync("drift", "--specs", specs.Directory, "--hosts", Selection, "--report-dir", At(work, "drift-whole"));
            var reports = new List<string>();
            for (var k = 1; k <= 3; k++)
            {
                var part = await CliRun.ExecAsync("drift", "--specs", specs.Directory, "--hosts", Selection, "--shard", $"{k}/3", "--report-dir", At(work, $"drift-{k}"));
                Assert.True(part.ExitCode is 1 or 2, part.ToString());
                reports.Add(Path.Combine(At(work, $"drift-{k}"), "drift.json"));
            }

            var mergedDrift = await CliRun.ExecAsync(["merge", .. reports, "--report-dir", At(work, "drift-merged")]);

            // Then every file of the report is the whole run's, timestamps aside, and so is the exit code
            Assert.True(wholeDrift.ExitCode == 1, wholeDrift.ToString());
            Assert.True(mergedDrift.ExitCode == wholeDrift.ExitCode, mergedDrift.ToString());
            foreach (var file in new[] { "drift.md", "drift.json", "drift.html", "fleet.html" })
            {
                var expected = Untimed(File.ReadAllText(Path.Combine(At(work, "drift-whole"), file)));
                Assert.True(expected == Untimed(File.ReadAllText(Path.Combine(At(work, "drift-merged"), file))), $"{file} differs");
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Each_shard_applies_its_own_part_of_the_one_reviewed_plan()
    {
        // Given two hosts (web2 falls to shard 1 of 2, web1 to shard 2) and one plan of both, saved as a workflow saves it
        await using var web1 = await DebianHost.StartAsync();
        await using var web2 = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", web1, DebianHost.RootUser, "hardened"), ("web2", web2, DebianHost.RootUser, "hardened")]);
        HardeningSpec.WriteTo(specs);
        var plan = Path.Combine(specs.Directory, "..", Path.GetFileName(specs.Directory) + "-plan.json");
        try
        {
            var planned = await CliRun.ExecAsync("plan", "--specs", specs.Directory, "--format", "json", "--out", plan);
            Assert.True(planned.ExitCode == 2, planned.ToString());

            // When shard 1/2 applies the plan
            var first = await CliRun.ExecAsync("apply", "--specs", specs.Directory, "--plan", plan, "--shard", "1/2");

            // Then only web2 changed
            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.Contains("Shard 1/2: 1 of 2 selected host(s).", first.Stdout);
            Assert.Equal("400", (await web2.ExecAsync("stat -c %a /etc/shadow")).Stdout.Trim());
            Assert.NotEqual("400", (await web1.ExecAsync("stat -c %a /etc/shadow")).Stdout.Trim());

            // When shard 2/2 applies the same plan, then web1 changed too: the shards applied the whole plan, each host once
            var second = await CliRun.ExecAsync("apply", "--specs", specs.Directory, "--plan", plan, "--shard", "2/2");
            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.Contains("Shard 2/2: 1 of 2 selected host(s).", second.Stdout);
            Assert.Equal("400", (await web1.ExecAsync("stat -c %a /etc/shadow")).Stdout.Trim());
        }
        finally
        {
            File.Delete(plan);
        }
    }

    private static string At(string directory, string name) => Path.Combine(directory, name);

    /// <summary>The text with every timestamp (ISO or "yyyy-MM-dd HH:mm:ss UTC") made one placeholder: the runs read at different times.</summary>
    private static string Untimed(string text) =>
        Regex.Replace(text, @"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}| UTC)?", "<time>");
}
