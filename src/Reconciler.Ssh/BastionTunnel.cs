using Renci.SshNet;

namespace Reconciler.Ssh;

/// <summary>
/// A target's way through its bastion: a listener on the controller's loopback, on a port of its own, whose connections
/// the bastion's SSH connection carries on to the target (a direct-tcpip channel, as ssh -J does). The target's own
/// SSH session runs over it, verified against the target's own pin; closed with that session.
/// </summary>
internal sealed class BastionTunnel(ForwardedPortLocal forward, Action close) : IDisposable
{
    public const string Loopback = "127.0.0.1";

    private int _closed;

    public int Port => (int)forward.BoundPort;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            close();
        }
    }
}
