namespace Reconciler.Core.Diagnostics;

/// <summary>A problem the user must fix, reported as a value so one run reports every problem.</summary>
public sealed record Diagnostic(Severity Severity, string Code, string Message, SourceLocation Location)
{
    public static Diagnostic Error(string code, string message, SourceLocation location) =>
        new(Severity.Error, code, message, location);

    public static Diagnostic Warning(string code, string message, SourceLocation location) =>
        new(Severity.Warning, code, message, location);

    /// <summary>The spec text around the location with a caret (YAML syntax errors); shown under the line on a console only.</summary>
    public string? Excerpt { get; init; }

    /// <summary>The compiler-style line every tool and editor understands: <c>path:line:col: error CODE: message</c>.</summary>
    public override string ToString() =>
        $"{Location}: {(Severity == Severity.Error ? "error" : "warning")} {Code}: {Message}";
}
