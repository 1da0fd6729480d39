using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Engine;

/// <summary>
/// Plan and apply across hosts: one connection per host, hosts in parallel up to a bound, one fact round trip
/// per plan, one batched command per apply, and after apply a fresh read proving the host converged.
/// </summary>
public sealed class Reconciliation(IHostTransport transport, ProviderRegistry providers, ReconcileOptions options, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

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

    /// <param name="confirmTimeout">Overrides <see cref="ReconcileOptions.ConfirmTimeout"/> for this apply.</param>
    public async Task<ApplyResult> ApplyAsync(DesiredState state, IProgress<HostProgress>? progress, CancellationToken ct, TimeSpan? confirmTimeout = null)
    {
        var confirmWindow = confirmTimeout ?? options.EffectiveConfirmTimeout;
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
            if (ChangeApplier.GuardedProviders(planned).Count > 0)
            {
                return await ApplyGuardedAsync(host, session, planned, plan, confirmWindow, progress, token);
            }

            var outcomes = await ChangeApplier.ApplyAsync(session, planned, null, token);
            progress?.Report(new HostProgress(host.Host.Name, HostStage.Verifying));
            var verification = FactReader.ToHostPlan(host.Host.Name, await FactReader.ReadAndDiffAsync(session, host, providers, token));
            return new HostApplyResult(host.Host.Name, plan, outcomes, verification);
        }, (host, error) => new HostApplyResult(host.Host.Name, new HostPlan(host.Host.Name, [], error), [], null, error));
        return new ApplyResult(hosts);
    }

    /// <summary>
    /// Apply with commit-confirm: the change may cut this very session off, so its answer is awaited only for part
    /// of the confirm window; then a new connection must confirm, and verification runs on that new connection.
    /// </summary>
    private async Task<HostApplyResult> ApplyGuardedAsync(
        HostDesiredState host, IHostSession session, IReadOnlyList<PlannedResource> planned, HostPlan plan,
        TimeSpan confirmWindow, IProgress<HostProgress>? progress, CancellationToken token)
    {
        var guard = Guard.Create(confirmWindow, options.GuardRoot);
        var deadline = _clock.GetUtcNow() + guard.Timeout;
        var applying = ChangeApplier.ApplyAsync(session, planned, guard, token);
        var answered = await Task.WhenAny(applying, Task.Delay(guard.Timeout / 2, _clock, token)) == applying;
        IReadOnlyList<ResourceOutcome>? outcomes = null;
        if (answered)
        {
            try
            {
                outcomes = await applying;
            }
            catch (TransportException)
            {
                // The change cut the session off mid-answer; the confirmation below tells what became of it.
            }
        }
        else
        {
            _ = applying.ContinueWith(t => t.Exception, TaskScheduler.Default); // abandoned: the old session may never answer
        }

        if (outcomes is not null && outcomes.Any(o => o.Error?.StartsWith("not applied: commit-confirm", StringComparison.Ordinal) == true))
        {
            return new HostApplyResult(host.Host.Name, plan, outcomes, null);
        }

        progress?.Report(new HostProgress(host.Host.Name, HostStage.Verifying));
        var (guardOutcome, confirmed) = await new CommitConfirmation(transport, _clock).ConfirmAsync(host.Host, guard, deadline, token);
        var changed = planned.Where(p => p.Change.Action.ChangesHost()).ToList();
        if (confirmed is null)
        {
            var lost = changed.Select(p => new ResourceOutcome(p.Resource.Address, p.Change.Action, false, "rolled back by commit-confirm")).ToList();
            return new HostApplyResult(host.Host.Name, plan, lost, null, null, guardOutcome);
        }

        await using (confirmed)
        {
            var verification = FactReader.ToHostPlan(host.Host.Name, await FactReader.ReadAndDiffAsync(confirmed, host, providers, token));
            // Without the old session's answer, what converged is read back from the host instead.
            outcomes ??= changed.Select(p =>
            {
                var ok = verification.Changes.FirstOrDefault(c => c.Address == p.Resource.Address)?.Action is ChangeAction.NoOp;
                return new ResourceOutcome(p.Resource.Address, p.Change.Action, ok, ok ? null : "the apply session was lost and the host does not show this change");
            }).ToList();
            return new HostApplyResult(host.Host.Name, plan, outcomes, verification, null, guardOutcome);
        }
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
