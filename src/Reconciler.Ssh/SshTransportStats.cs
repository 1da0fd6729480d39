namespace Reconciler.Ssh;

/// <summary>Counts what actually crossed the network, so tests and benchmarks can hold the transport to its budget.</summary>
public sealed class SshTransportStats
{
    private int _connections;
    private int _commands;
    private int _bastionConnections;

    public int Connections => _connections;

    public int Commands => _commands;

    /// <summary>Connections opened to bastions (<see cref="Core.Model.HostSpec.Via"/>): one per bastion per run, however many hosts are behind it.</summary>
    public int BastionConnections => _bastionConnections;

    internal void BastionConnected() => Interlocked.Increment(ref _bastionConnections);

    internal void Connected() => Interlocked.Increment(ref _connections);

    internal void RanCommand() => Interlocked.Increment(ref _commands);
}
