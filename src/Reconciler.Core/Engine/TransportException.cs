namespace Reconciler.Core.Engine;

/// <summary>A host could not be reached or refused us; the message is one line a person can act on.</summary>
public sealed class TransportException(string message, Exception? inner = null) : Exception(message, inner);
