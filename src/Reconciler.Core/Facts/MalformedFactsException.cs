namespace Reconciler.Core.Facts;

/// <summary>
/// A host answered a fact script with text its honest answer never contains (a duplicated line, a field that does not
/// parse, too few answers). The host is not planned and gets this as its one-line error; the other hosts go on.
/// </summary>
public sealed class MalformedFactsException(string message, Exception? inner = null) : Exception(message, inner);
