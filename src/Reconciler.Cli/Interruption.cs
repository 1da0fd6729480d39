using System.Runtime.InteropServices;

namespace Reconciler.Cli;

/// <summary>
/// The user's interrupts as two tokens. The first Ctrl-C (or SIGTERM) is <see cref="First"/>: reads stop, and an apply
/// starts nothing new — a host not yet applying releases its lock and applies nothing, one already applying finishes
/// and is verified. A second is <see cref="Second"/>: stop waiting at once; hosts already applying carry on detached
/// and release their locks themselves. Either way the process ends with a message and exit 130, never a stack trace.
/// </summary>
internal sealed class Interruption : IDisposable
{
    /// <summary>What a shell reports for a process ended by SIGINT (128 + 2); the commands return it when interrupted.</summary>
    public const int ExitCode = 130;

    private readonly CancellationTokenSource _first = new();
    private readonly CancellationTokenSource _second = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly CancellationTokenRegistration _outer;
    private int _signals;

    private Interruption(CancellationToken outer)
    {
        // A caller's own token (a test, a host's shutdown) counts as both interrupts at once.
        if (outer.CanBeCanceled)
        {
            _outer = outer.Register(() =>
            {
                _first.Cancel();
                _second.Cancel();
            });
        }
    }

    public CancellationToken First => _first.Token;

    public CancellationToken Second => _second.Token;

    public bool Interrupted => _first.IsCancellationRequested;

    /// <summary>Only <paramref name="outer"/>: no signal handler (tests running the CLI in-process).</summary>
    public static Interruption From(CancellationToken outer) => new(outer);

    /// <summary>SIGINT and SIGTERM handled here (the default would end the process mid-write); each says so on <paramref name="error"/>.</summary>
    public static Interruption FromSignals(TextWriter error)
    {
        var interruption = new Interruption(CancellationToken.None);
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            interruption._registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                interruption.Signal(error);
            }));
        }

        return interruption;
    }

    private void Signal(TextWriter error)
    {
        if (Interlocked.Increment(ref _signals) == 1)
        {
            error.WriteLine("reconciler: interrupted: stopping; hosts already applying finish first (interrupt again to stop waiting).");
            _first.Cancel();
            return;
        }

        error.WriteLine("reconciler: interrupted again: no longer waiting; hosts already applying carry on and release their locks themselves.");
        _second.Cancel();
    }

    public void Dispose()
    {
        _outer.Dispose();
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _first.Dispose();
        _second.Dispose();
    }
}
