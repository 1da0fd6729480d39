namespace Reconciler.Ssh;

/// <summary>Counts what actually crossed the network, so tests and benchmarks can hold the transport to its budget.</summary>
public sealed class SshTransportStats
{
    private int _connections;
    private int _commands;

    public int Connections => _connections;

    public int Commands => _commands;

    internal void Connected() => Interlocked.Increment(ref _connections);

    internal void RanCommand() => Interlocked.Increment(ref _commands);
}
