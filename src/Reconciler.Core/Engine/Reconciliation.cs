using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Engine;

/// <summary>
/// Plan and apply across hosts: one connection per host, hosts in parallel up to a bound, one fact round trip
/// per plan, one batched command per apply, and after apply a fresh read proving the host converged.
/// </summary>
public sealed class Reconciliation(IHostTransport transport, ProviderRegistry providers, ReconcileOptions options)
{
    public async Task<Plan> PlanAsync(DesiredState state, IProgress<HostProgress>? progress, CancellationToken ct)
    {
        var hosts = await ForEachHostAsync(state, progress, ct, async (host, session, token) =>
        {
            progress?.Report(new HostProgress(host.Host.Name, HostStage.Reading));
            var planned = await FactReader.ReadAndDiffAsync(session, host, providers, token);
            return FactReader.ToHostPlan(host.Host.Name, planned);
        }, (host, error) => new HostPlan(host.Host.Name, [], error));
        return new Plan(hosts);
    }

    public async Task<ApplyResult> ApplyAsync(DesiredState state, IProgress<HostProgress>? progress, CancellationToken ct)
    {
        var hosts = await ForEachHostAsync(state, progress, ct, async (host, session, token) =>
        {
            progress?.Report(new HostProgress(host.Host.Name, HostStage.Reading));
            var planned = await FactReader.ReadAndDiffAsync(session, host, providers, token);
            var plan = FactReader.ToHostPlan(host.Host.Name, planned);
            if (!plan.HasChanges)
            {
                return new HostApplyResult(host.Host.Name, plan, [], plan);
            }

            progress?.Report(new HostProgress(host.Host.Name, HostStage.Applying));
            var outcomes = await ChangeApplier.ApplyAsync(session, planned, token);
            progress?.Report(new HostProgress(host.Host.Name, HostStage.Verifying));
            var verification = FactReader.ToHostPlan(host.Host.Name, await FactReader.ReadAndDiffAsync(session, host, providers, token));
            return new HostApplyResult(host.Host.Name, plan, outcomes, verification);
        }, (host, error) => new HostApplyResult(host.Host.Name, new HostPlan(host.Host.Name, [], error), [], null, error));
        return new ApplyResult(hosts);
    }

    private async Task<IReadOnlyList<T>> ForEachHostAsync<T>(
        DesiredState state,
        IProgress<HostProgress>? progress,
        CancellationToken ct,
        Func<HostDesiredState, IHostSession, CancellationToken, Task<T>> work,
        Func<HostDesiredState, string, T> failed)
    {
        using var gate = new SemaphoreSlim(Math.Max(1, options.MaxParallelHosts));
        var tasks = state.Hosts.Select(async host =>
        {
            await gate.WaitAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.EffectiveHostTimeout);
            try
            {
                progress?.Report(new HostProgress(host.Host.Name, HostStage.Connecting));
                await using var session = await transport.ConnectAsync(host.Host, timeout.Token);
                var result = await work(host, session, timeout.Token);
                progress?.Report(new HostProgress(host.Host.Name, HostStage.Done));
                return result;
            }
            catch (TransportException e)
            {
                progress?.Report(new HostProgress(host.Host.Name, HostStage.Failed));
                return failed(host, e.Message);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                progress?.Report(new HostProgress(host.Host.Name, HostStage.Failed));
                return failed(host, $"timed out after {options.EffectiveHostTimeout.TotalSeconds:0.###}s");
            }
            finally
            {
                gate.Release();
            }
        });
        return await Task.WhenAll(tasks);
    }
}
