using Reconciler.Core.Model;

namespace Reconciler.Core.Engine;

/// <summary>Port to the hosts. The engine opens one session per host and runs whole scripts through it.</summary>
public interface IHostTransport
{
    /// <summary>Opens the host's single connection; throws <see cref="TransportException"/> with a one-line reason.</summary>
    Task<IHostSession> ConnectAsync(HostSpec host, CancellationToken cancellationToken);
}
