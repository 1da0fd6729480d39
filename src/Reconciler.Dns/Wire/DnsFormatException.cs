namespace Reconciler.Dns.Wire;

/// <summary>A message the reader refused: malformed or past a bound. The message is the reader's own words, one line.</summary>
internal sealed class DnsFormatException(string message) : Exception(message);
