using YamlDotNet.RepresentationModel;

namespace Reconciler.Specs.Tests.Workflows;

/// <summary>
/// Issue 22, item 5c: the reusable action (action.yml at the root) is what the project's own workflows run reconciler
/// with, and it keeps their trust boundary: it takes no secret or token the caller did not give, and it is shown to
/// flag each way of widening that.
/// </summary>
public sealed class ActionTests
{
    private static readonly string Root = Reconciler.Tests.Shared.TestRepository.Root;

    private static string ActionText => File.ReadAllText(Path.Combine(Root, "action.yml"));

    private static YamlMappingNode Parse(string text) => WorkflowFile.Parse("action.yml", text).Root;

    private static WorkflowFile Workflow(string name) => WorkflowFile.Read(Path.Combine(Root, ".github", "workflows", name));

    [Fact]
    public void The_action_passes_no_secret_or_token_the_caller_did_not_give()
    {
        var action = Parse(ActionText);

        Assert.Empty(TrustBoundary.ActionReach("action.yml", action));
        var inputs = ((YamlMappingNode)action.Child("inputs")!).Children.Keys.Select(k => k.Scalar()).ToList();
        Assert.Equal(["command", "specs", "args", "version", "source", "changes-are-success"], inputs);
    }

    [Theory]
    [InlineData("        CHANGES_ARE_SUCCESS: ${{ inputs.changes-are-success }}\n", "        CHANGES_ARE_SUCCESS: ${{ inputs.changes-are-success }}\n        GITHUB_TOKEN: ${{ github.token }}\n", "takes a secret or token of its own: ${{ github.token }}")]
    [InlineData("        SOURCE: ${{ inputs.source }}\n", "        SOURCE: ${{ inputs.source }}\n        KEY: ${{ secrets.RECONCILER_SSH_KEY }}\n", "takes a secret or token of its own: ${{ secrets.RECONCILER_SSH_KEY }}")]
    [InlineData("    default: https://api.nuget.org/v3/index.json\n", "    default: https://api.nuget.org/v3/index.json\n  token:\n    default: ${{ github.token }}\n", "takes a secret or token of its own")]
    [InlineData("        reconciler \"${argv[@]}\"\n", "        reconciler \"${argv[@]}\" ${{ inputs.args }}\n", "(Run reconciler) splices an input into its script")]
    [InlineData("uses: actions/setup-dotnet@67a3573c9a986a3f9c594539f4ab511d57bb3ce9 # v4.3.1", "uses: actions/setup-dotnet@v4", "actions/setup-dotnet@v4 is not pinned")]
    [InlineData("  using: composite", "  using: node20", "runs.using is not composite")]
    public void Each_way_of_widening_the_actions_reach_is_flagged(string original, string replacement, string expected)
    {
        Assert.Contains(original, ActionText); // the mutation must apply, or this test would prove nothing

        var violations = string.Join("\n", TrustBoundary.ActionReach("action.yml", Parse(ActionText.Replace(original, replacement, StringComparison.Ordinal))));

        Assert.Contains(expected, violations);
    }

    [Theory]
    [InlineData("apply.yml", "apply")]
    [InlineData("drift.yml", "drift")]
    [InlineData("plan.yml", "validate")]
    [InlineData("plan.yml", "plan")]
    public void The_workflows_get_reconciler_from_the_action_and_build_nothing_themselves(string file, string job)
    {
        var steps = Workflow(file).Job(job).Steps;

        Assert.Contains(steps, s => s.Uses == "./");
        Assert.DoesNotContain(steps, s => s.Run?.Contains("dotnet", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(steps, s => s.Uses?.StartsWith("actions/setup-dotnet@", StringComparison.Ordinal) == true);
    }

    [Theory]
    [InlineData("apply.yml", "apply", "apply")]
    [InlineData("drift.yml", "drift", "drift")]
    public void Jobs_without_a_pull_requests_files_run_reconciler_through_the_action(string file, string job, string command)
    {
        var step = Assert.Single(Workflow(file).Job(job).Steps, s => s.Uses == "./" && s.With("command") == command);

        Assert.Contains("--repo", step.With("args"));
    }

    [Fact]
    public void No_step_gives_the_action_a_secret_or_a_token_of_its_own()
    {
        // The shard (matrix.shard / needs.shards.outputs.count) is the only expression an action step is given: the job's
        // env is what reconciler gets, and the token for issues goes to the report job's merge, which runs no action.
        foreach (var file in new[] { "apply.yml", "drift.yml", "plan.yml" })
        {
            foreach (var step in Workflow(file).Jobs.SelectMany(j => j.Steps).Where(s => s.Uses == "./"))
            {
                var given = new[] { step.Node.Child("env"), step.Node.Child("with") }.Where(n => n is not null).SelectMany(n => n!.AllNodes).OfType<YamlScalarNode>()
                    .SelectMany(n => System.Text.RegularExpressions.Regex.Matches(n.Value ?? "", @"\$\{\{[^}]*\}\}").Select(m => m.Value)).Distinct().ToList();
                Assert.All(given, e => Assert.Contains(e, new[] { "${{ matrix.shard }}", "${{ needs.shards.outputs.count }}" }));
            }
        }
    }
}
