namespace Reconciler.Core.Diagnostics;

/// <summary>A position in a spec file; lines and columns are 1-based.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
