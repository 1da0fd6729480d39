using System.Collections.Concurrent;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Tests.Support;

/// <summary>
/// A fake <see cref="IHostTransport"/> for engine tests. By default a session runs each script locally with /bin/sh,
/// so the engine's real batched script (nonce-framed sections around every provider's fragment) is executed and
/// parsed for real against per-host temp directories — no SSH, no network. Hooks let a test make one host refuse,
/// hang, or answer with canned output, and the transport counts connections, scripts and concurrently open sessions.
/// Every "host" is this machine, so the engine's own records (state file, apply lock) under the default
/// <see cref="ReconcileOptions.StateRoot"/> are redirected to a directory per transport and host: hosts of one test
/// must not share a lock, and no test may write /var/lib/reconciler on the machine running it.
/// </summary>
internal sealed class FakeTransport : IHostTransport
{
    private static readonly string DefaultStateRoot = Sh.Quote(new ReconcileOptions().StateRoot);
    private static readonly string StateBase = Directory.CreateTempSubdirectory("reconciler-fake-hosts-").FullName;

    static FakeTransport() =>
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(StateBase, recursive: true); } catch (IOException) { } };

    private readonly string _id = Guid.NewGuid().ToString("N")[..8];

    /// <summary>Where this transport keeps <paramref name="host"/>'s reconciler records (what the host has in /var/lib/reconciler).</summary>
    public string StateRootOf(string host) => Path.Combine(StateBase, _id, host);

    private int _open;
    private int _maxOpen;

    /// <summary>Runs before a host's connection opens; throw or hang here to simulate an unreachable host.</summary>
    public Func<HostSpec, CancellationToken, Task>? OnConnect { get; init; }

    /// <summary>Replaces local execution for a host's scripts; return null to run the script with /bin/sh.</summary>
    public Func<HostSpec, string, CancellationToken, Task<ScriptResult?>>? OnScript { get; init; }

    public TimeSpan ScriptDelay { get; init; }

    public ConcurrentDictionary<string, int> Connects { get; } = new();

    public ConcurrentDictionary<string, ConcurrentQueue<string>> Scripts { get; } = new();

    public int MaxConcurrentSessions => Volatile.Read(ref _maxOpen);

    public int OpenSessions => Volatile.Read(ref _open);

    public int ScriptCount(string host) => Scripts.TryGetValue(host, out var q) ? q.Count : 0;

    public async Task<IHostSession> ConnectAsync(HostSpec host, CancellationToken cancellationToken)
    {
        if (OnConnect is not null) await OnConnect(host, cancellationToken);
        Connects.AddOrUpdate(host.Name, 1, (_, n) => n + 1);
        var open = Interlocked.Increment(ref _open);
        int seen;
        while (open > (seen = Volatile.Read(ref _maxOpen)) && Interlocked.CompareExchange(ref _maxOpen, open, seen) != seen)
        {
        }

        return new Session(this, host);
    }

    private sealed class Session(FakeTransport transport, HostSpec host) : IHostSession
    {
        public async Task<ScriptResult> RunScriptAsync(string script, CancellationToken cancellationToken)
        {
            transport.Scripts.GetOrAdd(host.Name, _ => new ConcurrentQueue<string>()).Enqueue(script);
            if (transport.ScriptDelay > TimeSpan.Zero) await Task.Delay(transport.ScriptDelay, cancellationToken);
            if (transport.OnScript is not null && await transport.OnScript(host, script, cancellationToken) is { } canned)
            {
                return canned;
            }

            var local = script.Replace(DefaultStateRoot, Sh.Quote(transport.StateRootOf(host.Name)), StringComparison.Ordinal);
            return await Task.Run(() => LocalShell.Run(local), cancellationToken);
        }

        public ValueTask DisposeAsync()
        {
            Interlocked.Decrement(ref transport._open);
            return ValueTask.CompletedTask;
        }
    }
}
