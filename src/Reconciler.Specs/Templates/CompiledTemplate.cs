using Scriban;

namespace Reconciler.Specs.Templates;

/// <summary>A parsed template, the host variables it reads and the secrets it names (<c>secret "NAME"</c>).</summary>
internal sealed record CompiledTemplate(
    string DisplayPath,
    Template Template,
    IReadOnlyList<TemplateVariableRead> VariableReads,
    IReadOnlyList<TemplateVariableRead> SecretReads);
