using Scriban.Parsing;
using Scriban.Syntax;

namespace Reconciler.Specs.Templates;

/// <summary>A sandbox limit stopped the render (steps, iterations, time); reported as its own code.</summary>
internal sealed class TemplateLimitException(SourceSpan span, string message) : ScriptRuntimeException(span, message);
