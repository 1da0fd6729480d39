using Reconciler.Core.Diagnostics;

namespace Reconciler.Core.Specs;

public static class DiagnosticCollectionExtensions
{
    /// <summary>Adds an error when a rule found a problem (rules return null when the value is fine).</summary>
    public static void AddIfProblem(this ICollection<Diagnostic> diagnostics, string code, string? problem, SourceLocation location)
    {
        if (problem is not null)
        {
            diagnostics.Add(Diagnostic.Error(code, problem, location));
        }
    }
}
