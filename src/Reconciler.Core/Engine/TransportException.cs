namespace Reconciler.Core.Engine;

/// <summary>A host could not be reached or refused us; the message is one line a person can act on.</summary>
public sealed class TransportException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>
    /// The host answered with another key than the inventory pins: not a network failure but possibly someone in the
    /// middle (or a reinstalled host), so it is reported as its own outcome, never as "unreachable".
    /// </summary>
    public bool HostKeyMismatch { get; init; }
}
