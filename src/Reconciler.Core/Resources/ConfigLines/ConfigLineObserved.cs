namespace Reconciler.Core.Resources.ConfigLines;

/// <summary>The values of every uncommented line setting the key, in file order (a key set twice is drift too).</summary>
public sealed record ConfigLineObserved(bool FileExists, IReadOnlyList<string> Values);
