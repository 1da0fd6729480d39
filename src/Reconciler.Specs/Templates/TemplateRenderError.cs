using Reconciler.Core.Diagnostics;

namespace Reconciler.Specs.Templates;

/// <summary>Why rendering failed for a host; equal errors from several hosts are reported once, naming them all.</summary>
internal sealed record TemplateRenderError(string Code, string Message, SourceLocation Location);
