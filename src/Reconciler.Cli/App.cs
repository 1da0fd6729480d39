using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Reconciler.Cli.Commands;
using Reconciler.Cli.Features;
using Reconciler.Cli.GitHubActions;
using Reconciler.Cli.Redaction;
using Reconciler.Cli.Secrets;
using Reconciler.Cli.Views;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Secrets;
using Reconciler.Core.Resources;
using Reconciler.Specs;
using Reconciler.Ssh;

namespace Reconciler.Cli;

/// <summary>The composition root, callable from Main and from tests that run the real CLI in-process.</summary>
internal static class App
{
    /// <param name="environment">Where GITHUB_* settings are read; the process environment unless a test passes its own.</param>
    /// <param name="environmentNames">The names <paramref name="environment"/> holds (the process's when it is null).</param>
    /// <param name="kinds">The resource kinds the run knows: the build's catalog unless a test tries a kind of its own.</param>
    /// <param name="interruption">The user's interrupts (Main's signal handlers); otherwise <paramref name="ct"/> is both of them.</param>
    /// <summary>Where an ssh-agent listens, as OpenSSH names it; unset: hosts without identity_file cannot be reached.</summary>
    public const string SshAgentSocket = "SSH_AUTH_SOCK";

    public static async Task<int> RunAsync(
        string[] args, Terminal terminal, SshTransport? transport = null, CancellationToken ct = default, Func<string, string?>? environment = null,
        IEnumerable<string>? environmentNames = null, KindCatalog? kinds = null, Interruption? interruption = null)
    {
        using var fromToken = interruption is null ? Interruption.From(ct) : null;
        interruption ??= fromToken!;
        kinds ??= ResourceKinds.Default;
        // Every byte this run prints passes the redactor, which learns the sensitive values when the specs are read, and
        // then the inert writer, which shows controls visibly and escapes lines that would start a workflow command:
        // views, errors, progress, logs and exception messages alike, whoever wrote them. The process console is
        // wrapped too when it is the terminal, for anything (a library, the last-chance handler) that writes to it.
        var redaction = new RedactionScope();
        if (ReferenceEquals(terminal.Out, Console.Out)) Console.SetOut(Guarded(Console.Out, redaction));
        if (ReferenceEquals(terminal.Error, Console.Error)) Console.SetError(Guarded(Console.Error, redaction));
        terminal = terminal with
        {
            Out = ReferenceEquals(terminal.Out, Console.Out) ? Console.Out : Guarded(terminal.Out, redaction),
            Error = ReferenceEquals(terminal.Error, Console.Error) ? Console.Error : Guarded(terminal.Error, redaction),
        };

        // Secrets come from the environment or a secret file, never from the repository; a secret file that cannot be
        // read stops the run before anything else happens.
        environmentNames ??= environment is null ? Environment.GetEnvironmentVariables().Keys.OfType<string>().ToList() : [];
        environment ??= Environment.GetEnvironmentVariable;
        var (secrets, secretsError) = SecretSources.Open(environment, environmentNames);
        if (secrets is null)
        {
            await terminal.Error.WriteLineAsync($"error: {secretsError}");
            return ExitCodes.Error;
        }

        // Every secret the operator supplied is masked from the first byte on, named by the specs or not.
        redaction.Add(secrets.PresentValues);
        PlanKey? planKey = null;
        if (environment(PlanKey.EnvironmentVariable) is { Length: > 0 } keyText)
        {
            (planKey, var keyError) = PlanKey.From(keyText);
            if (planKey is null)
            {
                // The run ends here with this fixed sentence, which holds no key; a short key learnt by the redactor first
                // masked words of the sentence itself ("is too (sensitive value)").
                await terminal.Error.WriteLineAsync($"error: {keyError}");
                return ExitCodes.Error;
            }

            redaction.Add([keyText]);
        }

        var secretFile = new SecretFile(environment(SecretStore.FileVariable) is { Length: > 0 } path ? path : null);
        if (secretFile.PermissionWarning() is { } warning)
        {
            await terminal.Error.WriteLineAsync(warning);
        }

        // Arguments go to System.CommandLine only, not to the host's configuration; and no defaults: they would read
        // appsettings.json from the working directory (a pull request's checkout in CI), take DOTNET_ variables as
        // configuration and start a file watcher on that directory for every run.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Logging.ClearProviders();
        // watch is a long-running service: one timestamped line per event on stderr (through the guarded writer), and
        // its per-cycle results at Information.
        builder.Logging.AddProvider(new TerminalLoggerProvider(terminal, TimeProvider.System)).SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Reconciler.Cli.Features.Watch", LogLevel.Information);

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(terminal);
        services.AddSingleton(secrets);
        services.AddSingleton(secretFile);
        services.AddSingleton(kinds);
        services.AddSingleton(new SpecLoader(secrets, kinds));
        // The agent's socket from the environment only: specs (a pull request's) never name one.
        // Made by the container when not given, so the container closes it at the end: its bastion connections with it.
        if (transport is not null) services.AddSingleton<IHostTransport>(transport);
        else services.AddSingleton<IHostTransport>(_ => new SshTransport(TimeSpan.FromSeconds(10), agentSocket: environment(SshAgentSocket), keyExchange: KeyExchangeFor(args)));
        services.AddSingleton(kinds.Registry());
        // The controller's own reach besides SSH: the DKIM kind asks each zone's nameservers directly and updates its primary.
        services.AddSingleton(new ReconcileOptions(HostTimeout: TimeSpan.FromMinutes(5), PlanKey: planKey)
        {
            Outside = new ControllerPorts(new Reconciler.Dns.AuthoritativeDns()),
        });
        services.AddSingleton<Reconciliation>();
        services.AddSingleton<SpecGate>();
        services.AddSingleton(p => new ValidateFeature(p.GetRequiredService<SpecGate>(), terminal, environment ?? Environment.GetEnvironmentVariable));
        services.AddSingleton<RepoSpecs>();
        services.AddSingleton<SchemasFeature>();
        services.AddSingleton<ExplainFeature>();
        services.AddSingleton<PlanFeature>();
        services.AddSingleton<ApplyFeature>();
        services.AddSingleton<DriftFeature>();
        services.AddSingleton<MergeFeature>();
        services.AddSingleton<HostKeyFeature>();
        services.AddSingleton<SecretsFeature>();
        services.AddSingleton(p => new UnlockFeature(p.GetRequiredService<SpecGate>(), p.GetRequiredService<IHostTransport>(), terminal,
            p.GetRequiredService<ReconcileOptions>(), environment));
        services.AddSingleton(interruption);
        services.AddSingleton(redaction);
        services.AddSingleton<OutputFiles>();
        services.AddSingleton(GitHubActionsContext.From(environment));
        services.AddSingleton(new GitHubConnector(redaction));
        services.AddSingleton<PlanPublisher>();
        services.AddWatch();

        using var host = builder.Build();
        var parse = CommandLine.Build(host.Services).Parse(args);
        try
        {
            // The signals are Main's (Interruption), not System.CommandLine's: its handler would end the process two seconds
            // after Ctrl-C, mid-apply. Every command but apply stops at the first interrupt; apply takes both (ApplyFeature).
            var exit = await parse.InvokeAsync(new System.CommandLine.InvocationConfiguration
            {
                Output = terminal.Out, Error = terminal.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
            }, interruption.First);
            // Each command says what an interrupt means for its exit (apply: 130; watch: a normal stop, 0).
            return exit;
        }
        catch (OperationCanceledException) when (interruption.Interrupted)
        {
            await terminal.Error.WriteLineAsync("reconciler: interrupted; nothing more was started.");
            return Interruption.ExitCode;
        }
    }

    /// <summary>Redacted first (a secret is matched as it is), then made inert (<see cref="InertTextWriter"/>).</summary>
    private static RedactingTextWriter Guarded(TextWriter console, RedactionScope redaction) =>
        new(new InertTextWriter(console), redaction);

    /// <summary>Every resource kind this build plans and applies: the catalog's providers (a test checks none is missing).</summary>
    internal static ProviderRegistry Providers() => ResourceKinds.Default.Registry();

    /// <summary>
    /// Runs that only read (plan, drift) offer the cheap key exchanges first; every other run, apply above all, offers the
    /// hybrid post-quantum ones first (<see cref="KeyExchangeOrder"/>). The first word is the command: options come after it.
    /// </summary>
    private static KeyExchangeOrder KeyExchangeFor(string[] args) =>
        args.FirstOrDefault() is "plan" or "drift" ? KeyExchangeOrder.FastFirst : KeyExchangeOrder.PostQuantumFirst;
}
