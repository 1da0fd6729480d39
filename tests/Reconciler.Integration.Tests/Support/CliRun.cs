using Reconciler.Cli;
using Reconciler.Core.Model;
using Reconciler.Core.Resources;
using Reconciler.Ssh;

namespace Reconciler.Integration.Tests.Support;

/// <summary>One run of the real CLI, in-process, with its console output and the transport's traffic counts.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr, SshTransportStats Traffic)
{
    public static Task<CliRun> ExecAsync(params string[] args) => ExecWithEnvironmentAsync(new Dictionary<string, string>(), args);

    /// <summary>The plan key every run gets unless a test sets its own (or an empty one, for none): as the workflows pass it.</summary>
    public const string TestPlanKey = "integration-tests-plan-key-0123456789abcdef";

    /// <summary>Runs with these environment variables (GITHUB_* for the GitHub features) instead of the process's.</summary>
    public static Task<CliRun> ExecWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        ExecWithKindsAsync(null, environment, args);

    /// <summary>Runs a CLI that knows <paramref name="kinds"/> instead of the build's catalog (a kind tried from a test).</summary>
    public static async Task<CliRun> ExecWithKindsAsync(KindCatalog? kinds, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var withKey = new Dictionary<string, string>(environment);
        // As the CLI's own transport: the agent's socket from the (test's) environment only.
        var transport = new SshTransport(TimeSpan.FromSeconds(15), agentSocket: withKey.GetValueOrDefault(App.SshAgentSocket));
        withKey.TryAdd(PlanKey.EnvironmentVariable, TestPlanKey);
        var exit = await App.RunAsync(args, new Terminal(stdout, stderr, Colour: false, Interactive: false), transport, default,
            name => withKey.TryGetValue(name, out var value) && value.Length > 0 ? value : null, withKey.Keys, kinds);
        return new CliRun(exit, stdout.ToString(), stderr.ToString(), transport.Stats);
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
