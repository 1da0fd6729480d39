using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Reconciler.Cli.Commands;
using Reconciler.Cli.Features;
using Reconciler.Core.Engine;
using Reconciler.Core.Resources.ConfigLines;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Resources.Firewall;
using Reconciler.Core.Resources.Network;
using Reconciler.Core.Resources.Sysctl;
using Reconciler.Specs;
using Reconciler.Ssh;

namespace Reconciler.Cli;

/// <summary>The composition root, callable from Main and from tests that run the real CLI in-process.</summary>
internal static class App
{
    public static async Task<int> RunAsync(string[] args, Terminal terminal, SshTransport? transport = null, CancellationToken ct = default)
    {
        // Arguments go to System.CommandLine only, not to the host's configuration.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(terminal);
        services.AddSingleton<SpecLoader>();
        services.AddSingleton<IHostTransport>(transport ?? new SshTransport(TimeSpan.FromSeconds(20)));
        services.AddSingleton(new ProviderRegistry([new SysctlProvider(), new FileProvider(), new ConfigLineProvider(), new BlockSetProvider(), new FirewallChainProvider(), new ArpProvider(), new LoopbackVipProvider()]));
        services.AddSingleton(new ReconcileOptions(MaxParallelHosts: 8, HostTimeout: TimeSpan.FromMinutes(5)));
        services.AddSingleton<Reconciliation>();
        services.AddSingleton<SpecGate>();
        services.AddSingleton<ValidateFeature>();
        services.AddSingleton<PlanFeature>();
        services.AddSingleton<ApplyFeature>();
        services.AddSingleton<DriftFeature>();

        using var host = builder.Build();
        var parse = CommandLine.Build(host.Services).Parse(args);
        return await parse.InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = terminal.Out, Error = terminal.Error, EnableDefaultExceptionHandler = false }, ct);
    }
}
