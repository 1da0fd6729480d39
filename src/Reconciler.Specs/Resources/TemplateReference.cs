using Reconciler.Core.Diagnostics;

namespace Reconciler.Specs.Resources;

/// <summary>A file resource's template, resolved relative to the YAML file that names it.</summary>
internal sealed record TemplateReference(string FullPath, string WrittenPath, SourceLocation ReferencedAt);
