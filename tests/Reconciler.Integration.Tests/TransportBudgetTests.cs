using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>The performance design, held to account by counting what crossed the network.</summary>
public sealed class TransportBudgetTests
{
    [Fact]
    public async Task A_plan_of_N_hosts_uses_N_connections_and_one_fact_round_trip_per_host()
    {
        var hosts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => DebianHost.StartAsync()));
        try
        {
            using var specs = SpecsWorkspace.Create();
            await specs.WriteInventoryAsync(hosts.Select((h, i) => ($"web{i + 1}", h, DebianHost.RootUser, "hardened")));
            HardeningSpec.WriteTo(specs);

            var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);

            Assert.True(plan.ExitCode == 2, plan.ToString());
            Assert.Equal(3, plan.Traffic.Connections);
            Assert.Equal(3, plan.Traffic.Commands);

            // Apply: per host one read, one batched apply, one verifying read — never a command per resource.
            var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
            Assert.True(apply.ExitCode == 0, apply.ToString());
            Assert.Equal(3, apply.Traffic.Connections);
            Assert.Equal(9, apply.Traffic.Commands);
        }
        finally
        {
            foreach (var h in hosts) await h.DisposeAsync();
        }
    }
}
