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

    private static readonly TimeSpan LockPoll = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long after an unguarded apply ends the host waits for its controller's verifying read (which releases the
    /// lock) before it marks the apply unattended and releases the lock itself. The read follows within a second or two.
    /// </summary>
    internal static readonly TimeSpan UnguardedHandover = TimeSpan.FromSeconds(30);

    /// <summary>After a guarded apply, the controller may take the confirm window and the rollback wait before it verifies.</summary>
    private static TimeSpan GuardedHandover(Guard guard) => guard.Timeout + CommitConfirmation.AfterDeadlineWindow + UnguardedHandover;

    /// <summary>
    /// Reads every host and plans it, except a host <see cref="DesiredState.Trusted"/> does not trust as declared (a
    /// host a pull request adds, or points elsewhere): no connection is made to it at all — not even to see whether
    /// it answers — and its plan is its desired state as creates (<see cref="NotContactedPlan"/>).
    /// </summary>
    /// <param name="monitor">
    /// Also read each host's monitored kinds (health rules, mail graphs) into <see cref="HostPlan.Monitoring"/>, in the same
    /// round trip: a drift run over the trusted branch asks for it; a pull request's plan never does, since those reads
    /// show what only root may read (tune2fs on block devices).
    /// </param>
    public async Task<Plan> PlanAsync(DesiredState state, IProgress<HostProgress>? progress, CancellationToken ct, bool monitor = false)
    {
        var notContacted = state.Hosts
            .Select(h => (Host: h, Why: state.Trusted?.WhyNotContacted(h.Host)))
            .Where(h => h.Why is not null)
            .ToDictionary(h => h.Host.Host.Name, h => NotContactedPlan.Of(h.Host, h.Why!, providers) with { Digest = DesiredStateDigest.Of(h.Host, options.EffectivePlanKey) }, StringComparer.Ordinal);
        var contacted = state with { Hosts = state.Hosts.Where(h => !notContacted.ContainsKey(h.Host.Name)).ToList() };
        var read = (await ReadAndPlanAsync(contacted, progress, monitor, ct)).ToDictionary(h => h.Host, StringComparer.Ordinal);
        var hosts = state.Hosts.Select(h => notContacted.TryGetValue(h.Host.Name, out var unread) ? unread : read[h.Host.Name]).ToList();
        return new Plan(hosts) { Commit = state.Commit, Digest = DesiredStateDigest.Of(state, options.EffectivePlanKey), KeyId = options.EffectivePlanKey.Id };
    }

    private async Task<IReadOnlyList<HostPlan>> ReadAndPlanAsync(DesiredState state, IProgress<HostProgress>? progress, bool monitor, CancellationToken ct)
    {
        var record = new HostRecord(options.StateRoot);
        // One budget for what this plan keeps of every host's answer (plan, drift, a watch cycle): the specs a pull
        // request writes decide what is read, so what is kept is bounded per run, not per host.
        var retained = new RetainedFacts(options.RetainedFactsChars);
        // The same per run for what the controller asks of DNS; and a change reaches only where its base's specs do.
        var outside = options.Outside.ForRun(state.Trusted, options.DnsLookupsPerRun);
        return await ForEachHostAsync(state, progress, ct, TimeSpan.Zero, CancellationToken.None, async (host, session, token) =>
        {
            progress?.Report(new HostProgress(host.Host.Name, HostStage.Reading));
            var read = await FactReader.ReadAsync(session, host, providers, record, null, null, options.EffectivePlanKey, token, retained, outside,
                monitor && host.Monitors.Count > 0 ? host.Monitors : null);
            return FactReader.ToHostPlan(host.Host.Name, read.Planned) with
            {
                Digest = DesiredStateDigest.Of(host, options.EffectivePlanKey), Applied = read.Applied, LastApply = read.LastApply, Monitoring = read.Monitoring,
                HeldLock = read.HeldLock,
            };
        }, (host, unread) => unread with { Digest = DesiredStateDigest.Of(host, options.EffectivePlanKey) });
    }

    /// <param name="confirmTimeout">Overrides <see cref="ReconcileOptions.ConfirmTimeout"/> for this apply.</param>
    public Task<ApplyResult> ApplyAsync(DesiredState state, IProgress<HostProgress>? progress, CancellationToken ct, TimeSpan? confirmTimeout = null) =>
        ApplyAsync(state, new ApplySettings(confirmTimeout), progress, ct);

    /// <summary>
    /// Apply under each host's lock: the first script takes it (waiting up to <see cref="ApplySettings.LockTimeout"/>)
    /// and reads; the apply script also records the commit; the verifying read releases it. With a saved plan, a host
    /// whose live state no longer has the planned fingerprints is refused whole, and hosts not in the plan are skipped.
    /// </summary>
    public async Task<ApplyResult> ApplyAsync(DesiredState state, ApplySettings settings, IProgress<HostProgress>? progress, CancellationToken ct)
    {
        var confirmWindow = settings.ConfirmTimeout ?? options.EffectiveConfirmTimeout;
        var controller = options.EffectiveController;
        var hostLock = new HostLock(options.StateRoot, $"{controller} run {Guid.NewGuid().ToString("N")[..12]}", options.EffectiveLockTtl);
        var record = new HostRecord(options.StateRoot);
        var approved = settings.Approved?.Hosts.ToDictionary(h => h.Host, StringComparer.Ordinal);
        var outside = options.Outside.ForRun(state.Trusted, options.DnsLookupsPerRun);
        if (approved is not null)
        {
            state = state with { Hosts = state.Hosts.Where(h => approved.ContainsKey(h.Host.Name)).ToList() };
        }

        var hosts = await ForEachHostAsync(state, progress, ct, settings.LockTimeout, settings.Interrupt, async (host, session, token) =>
        {
            var name = host.Host.Name;
            progress?.Report(new HostProgress(name, HostStage.Reading));
            var read = await ReadLockedAsync(session, host, record, hostLock, settings.LockTimeout, outside, token, settings.Interrupt);
            if (!read.Lock!.Acquired)
            {
                var error = read.Lock.Problem is { } problem
                    ? $"could not take the apply lock: {problem}"
                    : $"locked by another apply: {read.Lock.Owner}" +
                      (settings.LockTimeout > TimeSpan.Zero ? $" (still held after waiting {settings.LockTimeout.TotalSeconds:0.#}s)" : "");
                return new HostApplyResult(name, new HostPlan(name, [], error), [], null, error) { Refused = error };
            }

            var takeover = read.Lock.Status == LockStatus.TakenOver ? $"took over a stale lock held by {read.Lock.Owner}" : null;
            var plan = FactReader.ToHostPlan(name, read.Planned) with { Digest = DesiredStateDigest.Of(host, options.EffectivePlanKey), Applied = read.Applied, LastApply = read.LastApply };
            if (approved is not null && Stale(approved[name], plan) is { } stale)
            {
                await ReleaseAsync(session, hostLock, null, token);
                return new HostApplyResult(name, plan, [], null, stale) { LockTakeover = takeover, Refused = stale };
            }

            if (settings.Interrupt.IsCancellationRequested)
            {
                // Read and locked, nothing sent: the lock goes back and the host is as it was.
                await ReleaseAsync(session, hostLock, null, token);
                const string why = "interrupted before its apply started: nothing was applied and its lock was released";
                return new HostApplyResult(name, plan, [], null, why) { LockTakeover = takeover, Interrupted = why };
            }

            if (approved is not null)
            {
                // A glob's match nobody reviewed is left alone; one that no longer matches is shown gone.
                read = read with { Planned = GlobExpansion.AgainstPlan(approved[name], read.Planned) };
                plan = GlobExpansion.Shown(approved[name], FactReader.ToHostPlan(name, read.Planned) with { Digest = plan.Digest, Applied = plan.Applied, LastApply = plan.LastApply });
            }

            // The host matches the commit only if everything applies; a blocked resource is never applied.
            var commitRecord = plan.HasErrors ? null : record.WriteScript(state.Commit, controller);
            if (!plan.HasChanges)
            {
                // Nothing to change; one more script records the commit (when there is one) and releases the lock.
                // An unattended apply's record has now been reported (the apply view shows it): it is acknowledged.
                var acknowledge = plan.LastApply is { Unattended: true } ? record.AcknowledgeScript() : null;
                var before = string.Join("\n", new[] { state.Commit is null ? null : commitRecord, acknowledge }.OfType<string>());
                await ReleaseAsync(session, hostLock, before.Length == 0 ? null : before, token);
                return new HostApplyResult(name, plan, [], plan) { LockTakeover = takeover };
            }

            progress?.Report(new HostProgress(name, HostStage.Applying));
            // The controller's part of each change (a DNS update) first: a change whose part failed is not applied on the
            // host either, and reports the failure as its outcome.
            var (onHost, failedOutside) = await ApplyFromControllerAsync(read.Planned, outside, token);
            read = read with { Planned = onHost };
            if (ChangeApplier.GuardedStates(read.Planned).Count > 0)
            {
                var guarded = await ApplyGuardedAsync(host, session, read.Planned, plan, confirmWindow, progress, token,
                    commitRecord, HostRecordGuard.Of(record, hostLock), record, hostLock, outside);
                return guarded with { LockTakeover = takeover, Outcomes = [.. failedOutside, .. guarded.Outcomes] };
            }

            var bookkeeping = Bookkeeping(record, hostLock, commitRecord, UnguardedHandover);
            IReadOnlyList<ResourceOutcome> outcomes;
            try
            {
                outcomes = [.. failedOutside, .. await ChangeApplier.ApplyAsync(session, read.Planned, null, bookkeeping, token)];
            }
            catch (Exception e) when (e is TransportException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                // The script was sent and runs detached on the host: it may have applied anything, or everything.
                return new HostApplyResult(name, plan, [], null) { LockTakeover = takeover, Unknown = LostDuringApply(e) };
            }

            progress?.Report(new HostProgress(name, HostStage.Verifying));
            FactRead verified;
            try
            {
                verified = await FactReader.ReadAsync(session, host, providers, record, null, hostLock, options.EffectivePlanKey, token, outside: outside);
            }
            catch (TransportException e)
            {
                // The apply's answer arrived: its outcomes stand; only the proof of convergence is missing.
                return new HostApplyResult(name, plan, outcomes, null, $"applied, but the verifying read failed: {e.Message}") { LockTakeover = takeover };
            }

            var verifiedPlanned = approved is null ? verified.Planned : GlobExpansion.AgainstPlan(approved[name], verified.Planned);
            return new HostApplyResult(name, plan, outcomes, FactReader.ToHostPlan(name, verifiedPlanned) with { Applied = verified.Applied }) { LockTakeover = takeover };
        }, (host, unread) => new HostApplyResult(host.Host.Name, unread, [], null, unread.Error),
        host =>
        {
            const string why = "interrupted before this host was contacted: nothing was applied";
            return new HostApplyResult(host.Host.Name, new HostPlan(host.Host.Name, []), [], null, why) { Interrupted = why };
        });
        return new ApplyResult(hosts);
    }

    /// <summary>
    /// Runs the controller's part of every change whose provider has one (<see cref="IControllerApply"/>). A change whose
    /// part failed is planned blocked from here on, so the host's script neither runs its steps nor groups it.
    /// </summary>
    private async Task<(IReadOnlyList<PlannedResource> OnHost, IReadOnlyList<ResourceOutcome> Failed)> ApplyFromControllerAsync(
        IReadOnlyList<PlannedResource> planned, ControllerPorts outside, CancellationToken ct)
    {
        var failed = new List<ResourceOutcome>();
        var onHost = new List<PlannedResource>();
        foreach (var p in planned)
        {
            if (p.Provider is IControllerApply controller && p.Change.Action.ChangesHost() &&
                await controller.ApplyAsync(new PlannedChange(p.Resource, p.Observed!, p.Change), outside.For(p.Resource), ct) is { } why)
            {
                failed.Add(new ResourceOutcome(p.Resource.Address, p.Change.Action, false, why));
                onHost.Add(p with { Change = p.Change with { Action = ChangeAction.Blocked, Note = why } });
                continue;
            }

            onHost.Add(p);
        }

        return (onHost, failed);
    }

    private ApplyBookkeeping Bookkeeping(HostRecord record, HostLock hostLock, string? commitRecord, TimeSpan handoverDelay) =>
        new(options.StateRoot, commitRecord, record.OutcomeScript(hostLock.Holder),
            hostLock.HandoverScript(record.UnattendedScript(hostLock.Holder)), handoverDelay);

    private string LostDuringApply(Exception e) =>
        (e is TransportException ? e.Message : $"no answer within the host's time limit of {options.EffectiveHostTimeout.TotalSeconds:0.###}s") +
        "; the apply runs on without the connection: the host finishes it, records its outcome and releases its lock " +
        "itself, and the next plan, drift or apply shows what it recorded";

    /// <summary>Takes the lock and reads; while another run holds the lock, asks again until the lock timeout.</summary>
    private async Task<FactRead> ReadLockedAsync(
        IHostSession session, HostDesiredState host, HostRecord record, HostLock hostLock, TimeSpan lockTimeout, ControllerPorts outside,
        CancellationToken token, CancellationToken interrupt)
    {
        var until = _clock.GetUtcNow() + lockTimeout;
        while (true)
        {
            var read = await FactReader.ReadAsync(session, host, providers, record, hostLock, null, options.EffectivePlanKey, token, outside: outside);
            var left = until - _clock.GetUtcNow();
            if (read.Lock!.Acquired || read.Lock.Problem is not null || left <= TimeSpan.Zero || interrupt.IsCancellationRequested)
            {
                return read;
            }

            // An interrupt ends the wait for another run's lock at once; the next turn reports the lock as held.
            using var either = CancellationTokenSource.CreateLinkedTokenSource(token, interrupt);
            try
            {
                await Task.Delay(left < LockPoll ? left : LockPoll, _clock, either.Token);
            }
            catch (OperationCanceledException) when (interrupt.IsCancellationRequested && !token.IsCancellationRequested)
            {
                until = _clock.GetUtcNow();
            }
        }
    }

    /// <summary>Ends an apply on a path with no verifying read; if this fails the lock expires after its TTL.</summary>
    private static async Task ReleaseAsync(IHostSession session, HostLock hostLock, string? before, CancellationToken token)
    {
        var script = (before is null ? "" : "(\n" + before + "\n) >/dev/null 2>&1\n") + hostLock.ReleaseScript();
        try
        {
            await session.RunScriptAsync(script, token);
        }
        catch (TransportException)
        {
            // The lock stays until its TTL; the apply's own outcome is already decided.
        }
    }

    /// <summary>
    /// Why a host's saved plan no longer holds: a resource whose live state (fingerprint) or planned action changed,
    /// or a resource the plan does not list. Null when the host is exactly as planned.
    /// </summary>
    internal static string? Stale(HostPlan approved, HostPlan now)
    {
        if (approved.Error is not null)
        {
            return $"re-plan: {now.Host} could not be read when the plan was made ({approved.Error})";
        }

        if (approved.NotContacted is not null)
        {
            // Nobody has seen this host's live state: its plan was the desired state as creates, never a thing to apply.
            return $"re-plan: {now.Host} was not contacted when the plan was made ({approved.NotContacted}); plan it again now that it is trusted";
        }

        // A glob's match may appear or disappear since the plan (MatchedBy): apply skips it (GlobExpansion.AgainstPlan)
        // instead of refusing the host; every change the plan did show must still stand on the same live state.
        var current = now.Changes.ToDictionary(c => c.Address);
        var changed = approved.Changes
            .Where(a => current.TryGetValue(a.Address, out var c)
                ? c.Fingerprint is null || c.Fingerprint != a.Fingerprint || c.Action != a.Action
                : a.MatchedBy is null)
            .Select(a => a.Address.ToString())
            .Concat(now.Changes.Where(c => c.MatchedBy is null && approved.Changes.All(a => a.Address != c.Address)).Select(c => c.Address.ToString()))
            .ToList();
        return changed.Count == 0 ? null : $"re-plan: {string.Join(", ", changed)} changed on {now.Host} since the plan";
    }

    /// <summary>
    /// Apply with commit-confirm: the change may cut this very session off, so its answer is awaited only for part
    /// of the confirm window; then a new connection must confirm, and verification runs on that new connection.
    /// </summary>
    private async Task<HostApplyResult> ApplyGuardedAsync(
        HostDesiredState host, IHostSession session, IReadOnlyList<PlannedResource> planned, HostPlan plan,
        TimeSpan confirmWindow, IProgress<HostProgress>? progress, CancellationToken token,
        string? commitRecord, GuardedState recordGuard, HostRecord record, HostLock hostLock, ControllerPorts outside)
    {
        var guard = Guard.Create(confirmWindow, options.GuardRoot, _clock.GetUtcNow());
        var deadline = _clock.GetUtcNow() + guard.Timeout;
        var bookkeeping = Bookkeeping(record, hostLock, commitRecord, GuardedHandover(guard)) with { AlsoGuarded = [recordGuard] };
        var applying = ChangeApplier.ApplyAsync(session, planned, guard, bookkeeping, token);
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

        if (outcomes is not null && outcomes.Any(o => o.GuardNotArmed))
        {
            await ReleaseAsync(session, hostLock, null, token);
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
            // The verifying read releases the lock; after a rollback the host's restore script released it.
            var verified = await FactReader.ReadAsync(confirmed, host, providers, record, null, hostLock, options.EffectivePlanKey, token, outside: outside);
            var verification = FactReader.ToHostPlan(host.Host.Name, verified.Planned) with { Applied = verified.Applied };
            // Without the old session's answer, what converged is read back from the host instead.
            outcomes ??= changed.Select(p =>
            {
                var ok = verification.Changes.FirstOrDefault(c => c.Address == p.Resource.Address)?.Action is ChangeAction.NoOp;
                return new ResourceOutcome(p.Resource.Address, p.Change.Action, ok, ok ? null : "the apply session was lost and the host does not show this change");
            }).ToList();
            return new HostApplyResult(host.Host.Name, plan, outcomes, verification, null, guardOutcome);
        }
    }

    /// <summary>
    /// SSH.NET blocks a pool thread or two per host (its handshake waits synchronously; a command's output is read by a
    /// blocking read). The pool starts with one thread per core and adds about one a second: 32 hosts connecting at once
    /// waited for threads until their handshakes timed out (a quarter of a 100-host fleet, in bench/run.sh). So the pool
    /// has, from the start, threads for every host the run lets connect at once.
    /// </summary>
    private static void EnsureThreads(int parallel)
    {
        ThreadPool.GetMinThreads(out var workers, out var completion);
        var wanted = parallel * 3 + 8;
        if (workers < wanted)
        {
            ThreadPool.SetMinThreads(wanted, completion);
        }
    }

    private async Task<IReadOnlyList<T>> ForEachHostAsync<T>(
        DesiredState state,
        IProgress<HostProgress>? progress,
        CancellationToken ct,
        TimeSpan extraTime,
        CancellationToken interrupt,
        Func<HostDesiredState, IHostSession, CancellationToken, Task<T>> work,
        Func<HostDesiredState, HostPlan, T> failed,
        Func<HostDesiredState, T>? interrupted = null)
    {
        var parallel = Math.Max(1, state.Parallel ?? options.MaxParallelHosts);
        using var gate = new SemaphoreSlim(parallel);
        EnsureThreads(parallel);
        var tasks = state.Hosts.Select(async host =>
        {
            if (FactReader.ScriptTooLarge(host, providers) is { } tooLarge)
            {
                progress?.Report(new HostProgress(host.Host.Name, HostStage.Failed));
                return failed(host, new HostPlan(host.Host.Name, [], tooLarge));
            }

            await gate.WaitAsync(ct);
            if (interrupt.IsCancellationRequested && interrupted is not null)
            {
                gate.Release();
                progress?.Report(new HostProgress(host.Host.Name, HostStage.Failed));
                return interrupted(host);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            // Waiting for another run's lock does not eat into the host's own time limit.
            timeout.CancelAfter(options.EffectiveHostTimeout + extraTime);
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
                return failed(host, new HostPlan(host.Host.Name, [], e.Message) { HostKeyMismatch = e.HostKeyMismatch });
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                progress?.Report(new HostProgress(host.Host.Name, HostStage.Failed));
                return failed(host, new HostPlan(host.Host.Name, [], $"timed out after {options.EffectiveHostTimeout.TotalSeconds:0.###}s"));
            }
            finally
            {
                gate.Release();
            }
        });
        return await Task.WhenAll(tasks);
    }
}
