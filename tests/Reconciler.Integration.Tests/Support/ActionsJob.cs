using Reconciler.Cli.Tests.GitHub;

namespace Reconciler.Integration.Tests.Support;

/// <summary>
/// The CLI run as a GitHub Actions job runs it, against the GitHub stand-in (<see cref="FakeGitHubServer"/>: GitHub's
/// API cannot run here): GITHUB_* set, the step summary written into the specs directory, and every run kept so a test
/// can search all that was printed.
/// </summary>
public sealed class ActionsJob(SpecsWorkspace specs, FakeGitHubServer github, IReadOnlyDictionary<string, string>? secrets = null)
{
    private readonly List<CliRun> _runs = [];

    public string StepSummary { get; } = Path.Combine(specs.Directory, "step-summary.md");

    /// <summary>Everything every run printed, stdout and stderr.</summary>
    public string Printed => string.Join("\n", _runs.Select(r => r.Stdout + r.Stderr));

    /// <summary>Runs <c>reconciler --specs DIR ARGS</c> with the job's environment (and <c>secrets</c>, when given).</summary>
    public async Task<CliRun> Run(params string[] args)
    {
        var environment = new Dictionary<string, string>(secrets ?? new Dictionary<string, string>())
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_TOKEN"] = "test-token",
            ["GITHUB_REPOSITORY"] = "acme/infra",
            ["GITHUB_API_URL"] = github.BaseUrl,
            ["GITHUB_STEP_SUMMARY"] = StepSummary,
        };
        var run = await CliRun.ExecWithEnvironmentAsync(environment, ["--specs", specs.Directory, .. args]);
        _runs.Add(run);
        return run;
    }
}
