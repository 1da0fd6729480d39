namespace Reconciler.Ssh;

/// <summary>
/// The controller memory one run may spend on host output, across ALL hosts together. Class closed here: memory is
/// budgeted per run, not per item — the per-command caps (<see cref="OutputLimits"/>) bound one host, but four hosts
/// each printing just under their cap would still add up to gigabytes.
/// <para>
/// Output is charged as it is read (reserve as you read), at what it will cost until it is parsed and dropped
/// (<see cref="CostOf"/>: its bytes as text and as lines, not merely its bytes), and returned when the engine has
/// parsed it (<see cref="Reconciler.Core.Engine.IHostSession.ReleaseOutput"/>) or the session ends.
/// </para>
/// <para>
/// Waiting, without deadlock: a command is admitted only once <see cref="OpeningGrant"/> is free (it holds nothing
/// while it waits, so admission cannot deadlock), and every honest answer fits in that grant. A command that needs more
/// waits for it only while some other holder is still going to give budget back (it is not itself waiting) and while the
/// output piling up unread in the SSH library stays small; otherwise — one host alone needing more than what remains,
/// or every holder waiting on the others — it gets no more: its command is stopped and the host gets a one-line error.
/// SSH.NET acknowledges data as it arrives (no back-pressure), so a reader that stopped reading for long would only
/// move the memory into the library's buffer; hence the short, bounded wait.
/// </para>
/// </summary>
public sealed class HostOutputBudget
{
    /// <summary>
    /// 64 MiB of charged memory, so a run's peak stays under half a gigabyte whatever the hosts print. Measured: at
    /// 256 MiB one host's 62 MB answer fitted (charged 248 MB) and was held whole while parsed, and the run peaked at 566
    /// to 670 MiB; at 128 MiB four flooding hosts still peaked at 514 MiB on CI (the runtime does not give back at once
    /// what a flood made it take). No answer larger than 16 MB is ever held: past that the host is stopped, whatever
    /// its per-command cap (<see cref="OutputLimits"/>). Honest answers are kilobytes; eight hosts read at once take
    /// half of it in opening grants.
    /// </summary>
    public const long DefaultBytes = 64L * 1024 * 1024;

    /// <summary>Taken when a command is admitted: far above an honest fact answer (tens of kilobytes for hundreds of resources).</summary>
    public const long OpeningGrant = 4L * 1024 * 1024;

    /// <summary>Budget is taken in steps at least this large, so a long answer does not contend on every read.</summary>
    private const long Step = 1024 * 1024;

    /// <summary>Each line read costs a string object, its slot in the split array and in its section's list.</summary>
    internal const int CostPerLine = 40;

    /// <summary>How long a growing reader waits between looks at the budget and at the unread output.</summary>
    private static readonly TimeSpan WaitSlice = TimeSpan.FromMilliseconds(20);

    private readonly object _gate = new();
    private readonly LinkedList<(long Units, TaskCompletionSource Granted)> _admissions = new();
    private long _free;
    private int _holders;
    private int _growing;

    public HostOutputBudget(long totalBytes = DefaultBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalBytes, OpeningGrant);
        Total = totalBytes;
        _free = totalBytes;
    }

    public long Total { get; }

    /// <summary>What is not charged to any host right now (for tests and messages).</summary>
    public long Free
    {
        get { lock (_gate) return _free; }
    }

    /// <summary>
    /// What <paramref name="bytes"/> of output holding <paramref name="lines"/> line breaks cost until parsed: the bytes
    /// read, their text (two bytes a character), the lines split from it (the same again), and each line's objects.
    /// </summary>
    public static long CostOf(long bytes, long lines) => 4 * bytes + CostPerLine * lines;

    internal Lease Open() => new(this);

    /// <summary>Waits (in order of arrival) until <paramref name="units"/> are free, then takes them.</summary>
    private Task AdmitAsync(long units, CancellationToken cancellationToken)
    {
        LinkedListNode<(long, TaskCompletionSource)> node;
        lock (_gate)
        {
            if (_admissions.Count == 0 && _growing == 0 && _free >= units)
            {
                _free -= units;
                return Task.CompletedTask;
            }

            node = _admissions.AddLast((units, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));
        }

        var granted = node.Value.Item2;
        var registration = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                if (granted.Task.IsCompleted) return;
                _admissions.Remove(node);
                granted.TrySetCanceled(cancellationToken);
                AdmitWaiting();
            }
        });
        return granted.Task.ContinueWith(t =>
        {
            registration.Dispose();
            return t;
        }, TaskScheduler.Default).Unwrap();
    }

    /// <summary>
    /// Charges <paramref name="units"/> of output just read to <paramref name="lease"/>, taking more budget when its grant
    /// is used up; may wait while that is worth it (see the class). False when the host gets no more.
    /// </summary>
    private bool Charge(Lease lease, long units, Func<bool> mayKeepWaiting)
    {
        lock (_gate)
        {
            try
            {
                var more = lease.Used + units - lease.Held;
                if (more > 0)
                {
                    more = Math.Max(more, Step);
                    if (!Grow(lease, more, mayKeepWaiting)) return false;
                    SetHeld(lease, lease.Held + more);
                }

                lease.Used += units;
                return true;
            }
            finally
            {
                // Admissions stood back while this reader waited; whatever is free now is theirs.
                AdmitWaiting();
            }
        }
    }

    /// <summary>Under the gate.</summary>
    private bool Grow(Lease lease, long units, Func<bool> mayKeepWaiting)
    {
        while (_free < units)
        {
            // Someone else must be on the way to giving budget back: a holder that is neither this lease nor waiting.
            var othersGoing = _holders - _growing - (lease.Held > 0 ? 1 : 0);
            if (othersGoing <= 0 || !mayKeepWaiting())
            {
                return false;
            }

            _growing++;
            try
            {
                Monitor.Wait(_gate, WaitSlice);
            }
            finally
            {
                _growing--;
            }
        }

        _free -= units;
        return true;
    }

    /// <summary>Gives back what <paramref name="lease"/> holds: all of it, or what its output does not use.</summary>
    private void GiveBack(Lease lease, bool keepUsed)
    {
        lock (_gate)
        {
            var keep = keepUsed ? lease.Used : 0;
            var back = lease.Held - keep;
            if (back <= 0) return;
            _free += back;
            SetHeld(lease, keep);
            lease.Used = keep;
            Monitor.PulseAll(_gate);
            AdmitWaiting();
        }
    }

    private void Admitted(Lease lease, long units)
    {
        lock (_gate) SetHeld(lease, lease.Held + units);
    }

    /// <summary>Under the gate: the count of holders follows every lease's change between holding and not.</summary>
    private void SetHeld(Lease lease, long held)
    {
        if (lease.Held == 0 && held > 0) _holders++;
        if (lease.Held > 0 && held == 0) _holders--;
        lease.Held = held;
    }

    /// <summary>Under the gate: readers already holding budget go first, then admissions in order.</summary>
    private void AdmitWaiting()
    {
        while (_growing == 0 && _admissions.First is { } first && _free >= first.Value.Units)
        {
            _free -= first.Value.Units;
            _admissions.RemoveFirst();
            first.Value.Granted.TrySetResult();
        }
    }

    /// <summary>
    /// What one host's session holds: granted budget and how much of it its current output uses. Changed only under the
    /// budget's lock (both output streams of a command charge it).
    /// </summary>
    internal sealed class Lease(HostOutputBudget budget) : IDisposable
    {
        public long Held { get; set; }

        public long Used { get; set; }

        public HostOutputBudget Budget => budget;

        /// <summary>Before a command: what the previous output held is given back, then the opening grant is awaited.</summary>
        public async Task AdmitAsync(CancellationToken cancellationToken)
        {
            Release();
            await budget.AdmitAsync(OpeningGrant, cancellationToken);
            budget.Admitted(this, OpeningGrant);
        }

        /// <summary>Charges output just read; false when the budget has no more for this host.</summary>
        public bool Charge(long units, Func<bool> mayKeepWaiting) => budget.Charge(this, units, mayKeepWaiting);

        /// <summary>The command ended: what it was granted but did not use is given back at once.</summary>
        public void Settle() => budget.GiveBack(this, keepUsed: true);

        /// <summary>The output was parsed and dropped (or never kept): all of it is given back.</summary>
        public void Release() => budget.GiveBack(this, keepUsed: false);

        public void Dispose() => Release();
    }
}
