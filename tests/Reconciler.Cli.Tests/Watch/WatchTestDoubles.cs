using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Cli.Features;
using Reconciler.Cli.Features.Watch;

namespace Reconciler.Cli.Tests.Watch;

/// <summary>
/// A fake clock that also counts the timers made on it. The loop makes one (its wait for the next slot) after each cycle,
/// on whatever thread its continuation runs: a test advances the clock only once that timer exists, or the advance
/// would pass before the wait began and the next cycle would never come.
/// </summary>
internal sealed class SchedulingClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private int _timers;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _timers);
        return timer;
    }

    /// <summary>Waits (in real time, bounded) until <paramref name="count"/> timers have been made.</summary>
    public async Task WaitForTimersAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Volatile.Read(ref _timers) < count)
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}

/// <summary>
/// A cycle whose behaviour each test scripts per cycle number. It records the fake clock's time at every start and
/// announces the start on a channel, so a test advances the clock only once the loop is where it expects.
/// </summary>
internal sealed class ScriptedCycle(FakeTimeProvider clock, Func<int, CancellationToken, Task<CycleReport>>? behaviour = null) : IWatchCycle
{
    private readonly Channel<int> _started = Channel.CreateUnbounded<int>();

    public ConcurrentQueue<DateTimeOffset> StartTimes { get; } = new();

    public ConcurrentQueue<int> Cancelled { get; } = new();

    public async Task<CycleReport> RunAsync(int cycle, CancellationToken ct)
    {
        StartTimes.Enqueue(clock.GetUtcNow());
        _started.Writer.TryWrite(cycle);
        try
        {
            return behaviour is null ? InSync(cycle) : await behaviour(cycle, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Cancelled.Enqueue(cycle);
            throw;
        }
    }

    /// <summary>Waits (in real time, bounded) until cycle <paramref name="number"/> has started.</summary>
    public async Task WaitForStartAsync(int number)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await _started.Reader.ReadAsync(timeout.Token) < number)
        {
        }
    }

    /// <summary>True when some cycle starts within <paramref name="wait"/> of real time (used to prove that none does).</summary>
    public async Task<bool> AnyStartsWithinAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await _started.Reader.WaitToReadAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public static CycleReport InSync(int cycle) => new(cycle, null, 1, 0, 0, 0, [], [], 0, ExitCodes.Ok);
}

internal sealed class FakeLifetime : IHostApplicationLifetime
{
    private readonly CancellationTokenSource _stopping = new();

    public CancellationToken ApplicationStarted => CancellationToken.None;

    public CancellationToken ApplicationStopping => _stopping.Token;

    public CancellationToken ApplicationStopped => CancellationToken.None;

    public bool StopRequested => _stopping.IsCancellationRequested;

    public void StopApplication() => _stopping.Cancel();
}

/// <summary>Captures every event with its structured properties, as a log sink would receive them.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    public sealed record Entry(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Properties, Exception? Exception);

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToDictionary(p => p.Key, p => p.Value) : new Dictionary<string, object?>();
        Entries.Enqueue(new Entry(logLevel, formatter(state, exception), properties, exception));
    }
}
