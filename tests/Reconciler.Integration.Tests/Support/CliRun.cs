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
    public static Task<CliRun> ExecWithKindsAsync(KindCatalog? kinds, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync(kinds, environment, null, args);

    /// <summary>
    /// Runs as if a person sat at a terminal: standard input is one, and each question reads the next line of
    /// <paramref name="answers"/> (its end reads as the person closing the input, Ctrl-D).
    /// </summary>
    public static Task<CliRun> ExecAtTerminalAsync(TextReader answers, params string[] args) =>
        RunAsync(null, new Dictionary<string, string>(), answers, args);

    /// <summary>As <see cref="ExecAtTerminalAsync(TextReader, string[])"/>, interrupted (Ctrl-C) when <paramref name="interrupt"/> is cancelled.</summary>
    public static Task<CliRun> ExecAtTerminalAsync(TextReader answers, CancellationToken interrupt, params string[] args) =>
        RunAsync(null, new Dictionary<string, string>(), answers, args, interrupt);

    private static async Task<CliRun> RunAsync(
        KindCatalog? kinds, IReadOnlyDictionary<string, string> environment, TextReader? answers, string[] args, CancellationToken interrupt = default)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var withKey = new Dictionary<string, string>(environment);
        // As the CLI's own transport: the agent's socket from the (test's) environment only.
        var transport = new SshTransport(TimeSpan.FromSeconds(15), agentSocket: withKey.GetValueOrDefault(App.SshAgentSocket));
        withKey.TryAdd(PlanKey.EnvironmentVariable, TestPlanKey);
        var exit = await App.RunAsync(args, new Terminal(stdout, stderr, Colour: false, Interactive: false, answers), transport, interrupt,
            name => withKey.TryGetValue(name, out var value) && value.Length > 0 ? value : null, withKey.Keys, kinds);
        return new CliRun(exit, stdout.ToString(), stderr.ToString(), transport.Stats);
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
