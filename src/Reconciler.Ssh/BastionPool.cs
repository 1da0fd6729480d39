using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Reconciler.Ssh;

/// <summary>
/// One SSH connection per bastion for the whole run, opened when the first host behind it connects and shared by every
/// host behind it (each gets its own tunnel, a channel of that connection). A bastion that cannot be reached fails its
/// hosts with its reason, once: hosts that ask within <see cref="FailureMemory"/> get the same answer instead of each
/// waiting out the connect timeout again; after it (a later watch cycle) the bastion is tried anew, as is a connection
/// that has dropped.
/// </summary>
/// <param name="open">Opens an authenticated client to a bastion (itself through its own bastion, if it has one).</param>
internal sealed class BastionPool(Func<HostSpec, CancellationToken, Task<SshClient>> open, TimeProvider? clock = null) : IDisposable
{
    internal static readonly TimeSpan FailureMemory = TimeSpan.FromSeconds(60);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _closing = new();

    /// <summary>Keyed by the bastion's whole connection (<see cref="HostSpec.ConnectionOnly"/>), its own bastions included.</summary>
    private readonly Dictionary<HostSpec, Entry> _entries = [];

    private sealed record Entry(Task<SshClient> Client, DateTimeOffset Opened);

    /// <summary>A tunnel through <paramref name="bastion"/> to <paramref name="target"/>'s address and port.</summary>
    public async Task<BastionTunnel> TunnelAsync(HostSpec bastion, HostSpec target, CancellationToken cancellationToken)
    {
        SshClient client;
        try
        {
            client = await ClientAsync(bastion).WaitAsync(cancellationToken);
        }
        catch (TransportException e)
        {
            // A bastion offering another key than its pin is that outcome for its hosts too: someone may stand in its place.
            throw new TransportException($"{target.Name}: not reached: its bastion {e.Message}", e) { HostKeyMismatch = e.HostKeyMismatch };
        }

        try
        {
            lock (_lock)
            {
                // Loopback only, an ephemeral port per target: SSH.NET runs a client over a socket, not over a channel.
                var forward = new ForwardedPortLocal(BastionTunnel.Loopback, 0, target.Address, (uint)target.Port);
                client.AddForwardedPort(forward);
                forward.Start();
                return new BastionTunnel(forward, () => Close(client, forward));
            }
        }
        catch (Exception e) when (e is SshException or ObjectDisposedException or InvalidOperationException or IOException or System.Net.Sockets.SocketException)
        {
            throw new TransportException($"{target.Name}: not reached: no tunnel through its bastion {bastion.Name}: {e.Message}", e);
        }
    }

    private Task<SshClient> ClientAsync(HostSpec bastion)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(bastion, out var entry) && IsUsable(entry))
            {
                return entry.Client;
            }

            if (entry?.Client.IsCompletedSuccessfully == true)
            {
                entry.Client.Result.Dispose();
            }

            // Started apart, so nothing of the opening (reading keys, the agent) runs under the lock.
            var opening = Task.Run(() => open(bastion, _closing.Token));
            _entries[bastion] = new Entry(opening, _clock.GetUtcNow());
            return opening;
        }
    }

    private bool IsUsable(Entry entry) =>
        !entry.Client.IsCompleted
        || entry.Client.IsCompletedSuccessfully && entry.Client.Result.IsConnected
        || !entry.Client.IsCompletedSuccessfully && _clock.GetUtcNow() - entry.Opened < FailureMemory;

    private void Close(SshClient client, ForwardedPortLocal forward)
    {
        lock (_lock)
        {
            try
            {
                forward.Stop();
                client.RemoveForwardedPort(forward);
            }
            catch (Exception e) when (e is SshException or ObjectDisposedException or InvalidOperationException)
            {
                // The bastion's connection is gone already: so is the tunnel.
            }

            forward.Dispose();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _closing.Cancel();
            foreach (var entry in _entries.Values.Where(e => e.Client.IsCompletedSuccessfully))
            {
                entry.Client.Result.Dispose();
            }

            _entries.Clear();
        }
    }
}
