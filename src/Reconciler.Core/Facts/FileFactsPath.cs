namespace Reconciler.Core.Facts;

/// <summary>One path a file facts query reads: the shell word naming it (quoted by the caller) and what to read of it.</summary>
public sealed record FileFactsPath(string Word, FileFactsRead Read);
