using Reconciler.Core.Diagnostics;

namespace Reconciler.Specs.Templates;

/// <summary>A template's read of a variable it does not define itself, which the host's variables must provide.</summary>
internal sealed record TemplateVariableRead(string Name, SourceLocation Location);
