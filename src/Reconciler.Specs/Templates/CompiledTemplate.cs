using Scriban;

namespace Reconciler.Specs.Templates;

/// <summary>A parsed template and the host variables it reads.</summary>
internal sealed record CompiledTemplate(string DisplayPath, Template Template, IReadOnlyList<TemplateVariableRead> VariableReads);
