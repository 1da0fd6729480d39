using YamlDotNet.RepresentationModel;

namespace Reconciler.Specs.Tests.Workflows;

/// <summary>
/// Issue 22 item 3: plan, drift and apply fan out over a matrix of RECONCILER_SHARDS jobs, and for plan and drift one
/// fan-in job joins the shards with reconciler merge. The fan-in job is the only one that posts (the pull request's
/// comment, the drift issues) and it holds no secret: it reaches no host, it only reads the shards' JSON.
/// </summary>
public sealed class WorkflowShardingTests
{
    private static readonly string Root = Reconciler.Tests.Shared.TestRepository.Root;

    private static string Text(string name) => File.ReadAllText(Path.Combine(Root, ".github", "workflows", name));

    /// <summary>
    /// What breaks the fan-out/fan-in shape of one workflow: the host job not a matrix over the shards, a shard that is
    /// not told which one it is, a job besides the fan-in one posting or holding the right to post, a fan-in job
    /// given secrets or not merging.
    /// </summary>
    private static List<string> Violations(WorkflowFile workflow, string fanOut, string? fanIn, string? posting, string? permission)
    {
        var violations = new List<string>();
        var shards = workflow.Job(fanOut);
        var strategy = shards.Node.Child("strategy");
        if (strategy.Child("matrix").Child("shard").Scalar() is not { } matrix || !matrix.Contains("fromJSON(needs.", StringComparison.Ordinal))
        {
            violations.Add($"{workflow.Name}: job {fanOut} is not a matrix over the shards");
        }

        if (strategy.Child("fail-fast").Scalar() != "false")
        {
            violations.Add($"{workflow.Name}: job {fanOut} lets one shard's failure cancel the others");
        }

        var runs = shards.Steps.Select(Invocation).Where(r => r.Contains($"reconciler {fanOut} ", StringComparison.Ordinal)).ToList();
        if (runs.Count == 0 || runs.Any(r => !r.Contains("--shard \"$SHARD", StringComparison.Ordinal) && !r.Contains("--shard ${{ matrix.shard }}/", StringComparison.Ordinal)))
        {
            violations.Add($"{workflow.Name}: job {fanOut} runs reconciler {fanOut} without --shard");
        }

        foreach (var job in workflow.Jobs.Where(j => j.Name != fanIn))
        {
            if (posting is not null && job.Steps.Any(s => Invocation(s).Contains(posting, StringComparison.Ordinal)))
            {
                violations.Add($"{workflow.Name}: job {job.Name} passes {posting}; only the fan-in job {fanIn} posts");
            }

            // Other jobs may write for other reasons (plan.yml's unapprove removes a label); the shards never may.
            if (permission is not null && job.Name == fanOut && job.Permissions is YamlMappingNode granted && granted.Children.Any(p => p.Key.Scalar() == permission && p.Value.Scalar() == "write"))
            {
                violations.Add($"{workflow.Name}: job {job.Name} may write {permission}; only the fan-in job {fanIn} does");
            }
        }

        if (fanIn is not null)
        {
            var merge = workflow.Job(fanIn);
            violations.AddRange(TrustBoundary.SecretsIn(workflow, merge).Where(v => !v.Contains("github.token", StringComparison.Ordinal)));
            if (!merge.Steps.Any(s => s.Run?.Contains($"reconciler merge shards/{fanOut}-*.json", StringComparison.Ordinal) == true && s.Run.Contains(posting!, StringComparison.Ordinal)))
            {
                violations.Add($"{workflow.Name}: job {fanIn} does not merge the shards and post");
            }

            if (merge.Node.Child("needs") is not YamlSequenceNode needs || !needs.Children.Any(n => n.Scalar() == fanOut))
            {
                violations.Add($"{workflow.Name}: job {fanIn} does not wait for the shards");
            }
        }

        return violations;
    }

    /// <summary>What a step runs: its script, or for the repository's action (uses: ./) its command and arguments as one line.</summary>
    private static string Invocation(WorkflowStep step) =>
        step.Uses == "./" && step.With("command") is { } command
            ? $"reconciler {command} " + string.Join(' ', (step.With("args") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            : step.Run ?? "";

    private static List<string> Violations(string file, string text) => file switch
    {
        "plan.yml" => Violations(WorkflowFile.Parse(file, text), "plan", "comment", "--comment", "pull-requests"),
        "drift.yml" => Violations(WorkflowFile.Parse(file, text), "drift", "report", "--issues", "issues"),
        _ => Violations(WorkflowFile.Parse(file, text), "apply", null, null, null),
    };

    [Theory]
    [InlineData("plan.yml")]
    [InlineData("drift.yml")]
    [InlineData("apply.yml")]
    public void The_hosts_are_read_by_a_matrix_of_shards_and_only_the_fan_in_job_posts(string file)
    {
        Assert.Empty(Violations(file, Text(file)));
    }

    [Theory]
    [InlineData("plan.yml")]
    [InlineData("drift.yml")]
    [InlineData("apply.yml")]
    public void The_number_of_shards_is_the_repository_variable_with_1_by_default(string file)
    {
        var workflow = WorkflowFile.Parse(file, Text(file));
        var step = workflow.Jobs.SelectMany(j => j.Steps).Single(s => s.Run == "scripts/shard-matrix.sh");

        Assert.Equal("${{ vars.RECONCILER_SHARDS || '1' }}", (step.Node.Child("env") as YamlMappingNode).Child("SHARDS").Scalar());
    }

    /// <summary>
    /// Every value of RECONCILER_SHARDS that is not a whole number from 1 to 256 fails the job, and nothing reaches the
    /// matrix: numbers past bash's 64-bit arithmetic included, which once made the range test itself fail and so let
    /// the number through (a matrix list seq could never finish writing).
    /// </summary>
    [Theory]
    [InlineData("0")]
    [InlineData("257")]
    [InlineData("10000")]
    [InlineData("9223372036854775808")]
    [InlineData("99999999999999999999")]
    [InlineData("007")]
    [InlineData("-1")]
    [InlineData("2 ")]
    [InlineData("1\nlist=[1]")]
    [InlineData("two")]
    [InlineData("3\n::warning::a command of the variable's own")]
    public void A_shard_count_that_is_not_1_to_256_fails_the_job_and_writes_no_matrix(string shards)
    {
        var (exit, output, matrix) = ShardMatrix(shards.Replace("\\n", "\n", StringComparison.Ordinal));

        Assert.Equal(1, exit);
        Assert.Equal("", matrix);
        Assert.StartsWith("::error::RECONCILER_SHARDS must be a whole number from 1 to 256", output);
        // One line: the value shown cannot start a workflow command of its own.
        Assert.Single(output.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("1", "count=1\nlist=[1]\n")]
    [InlineData("3", "count=3\nlist=[1,2,3]\n")]
    [InlineData("256", "count=256\nlist=[")]
    public void A_shard_count_from_1_to_256_is_the_matrix(string shards, string expected)
    {
        var (exit, _, matrix) = ShardMatrix(shards);

        Assert.Equal(0, exit);
        Assert.StartsWith(expected.Replace("\\n", "\n", StringComparison.Ordinal), matrix);
    }

    /// <summary>Runs scripts/shard-matrix.sh as a workflow step does: its exit code, its log and what it wrote to GITHUB_OUTPUT.</summary>
    private static (int Exit, string Output, string Matrix) ShardMatrix(string shards)
    {
        var output = Path.GetTempFileName();
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("bash", [Path.Combine(Root, "scripts", "shard-matrix.sh")])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment = { ["SHARDS"] = shards, ["GITHUB_OUTPUT"] = output },
            };
            using var process = System.Diagnostics.Process.Start(start)!;
            var log = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "timed out", File.ReadAllText(output)[..Math.Min(200, (int)new FileInfo(output).Length)]);
            }

            return (process.ExitCode, log.Result + errors.Result, File.ReadAllText(output));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void The_plan_apply_takes_is_the_merged_one_uploaded_by_the_fan_in_job()
    {
        var plan = WorkflowFile.Parse("plan.yml", Text("plan.yml"));
        var uploads = plan.Jobs.SelectMany(j => j.Steps.Where(s => s.With("name") == "plan-${{ github.event.pull_request.head.sha }}").Select(s => (j.Name, Step: s))).ToList();

        var (job, upload) = Assert.Single(uploads);
        Assert.Equal("comment", job);
        Assert.Equal("plan.json", upload.With("path"));
        Assert.Contains(plan.Job("comment").Steps, s => s.Run?.Contains("reconciler merge shards/plan-*.json --format json --out plan.json --comment", StringComparison.Ordinal) == true);
    }

    [Theory]
    [InlineData("plan.yml", "--shard \"$SHARD/$SHARDS\"", "", "runs reconciler plan without --shard")]
    [InlineData("plan.yml", "--out \"plan-$SHARD.json\"", "--out \"plan-$SHARD.json\" --comment", "job plan passes --comment; only the fan-in job comment posts")]
    [InlineData("plan.yml", "      contents: read\n    strategy:", "      contents: read\n      pull-requests: write\n    strategy:", "job plan may write pull-requests")]
    [InlineData("plan.yml", "      fail-fast: false\n", "", "lets one shard's failure cancel the others")]
    [InlineData("plan.yml", "    timeout-minutes: 15\n", "    timeout-minutes: 15\n    environment: reconciler-plan\n", "job comment enters the environment reconciler-plan")]
    [InlineData("drift.yml", "            --shard\n            ${{ matrix.shard }}/${{ needs.shards.outputs.count }}\n            --report-dir", "            --issues\n            --shard\n            ${{ matrix.shard }}/${{ needs.shards.outputs.count }}\n            --report-dir", "job drift passes --issues; only the fan-in job report posts")]
    [InlineData("drift.yml", "reconciler merge shards/drift-*.json --issues", "reconciler merge shards/drift-*.json", "job report does not merge the shards and post")]
    [InlineData("drift.yml", "    needs: [shards, drift]", "    needs: [shards]", "job report does not wait for the shards")]
    [InlineData("apply.yml", "        shard: ${{ fromJSON(needs.shards.outputs.list) }}", "        shard: [1]", "job apply is not a matrix over the shards")]
    [InlineData("apply.yml", "            plan.json\n            --repo\n            .\n            --shard\n            ${{ matrix.shard }}/${{ needs.shards.outputs.count }}\n", "            plan.json\n            --repo\n            .\n", "runs reconciler apply without --shard")]
    public void Each_break_of_the_fan_out_and_fan_in_is_flagged(string file, string original, string replacement, string expected)
    {
        var text = Text(file);
        Assert.Contains(original, text); // the mutation must apply, or this test would prove nothing

        var violations = string.Join("\n", Violations(file, text.Replace(original, replacement, StringComparison.Ordinal)));

        Assert.Contains(expected, violations);
    }
}
