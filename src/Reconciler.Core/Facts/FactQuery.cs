namespace Reconciler.Core.Facts;

/// <summary>
/// One fact unit's question to a host: <paramref name="Unit"/> names what it reads (file facts, sysctl facts, a kind's own)
/// and <paramref name="Script"/> prints its records. The reader frames every query in a section of its own, so records of
/// two units never meet, and reads equal queries (same unit, same script) once however many kinds ask them.
/// </summary>
public sealed record FactQuery(string Unit, string Script);
