using Reconciler.Core.Diagnostics;

namespace Reconciler.Core.Specs;

/// <summary>A file resource's template, resolved relative to the YAML file that names it.</summary>
public sealed record TemplateReference(string FullPath, string WrittenPath, SourceLocation ReferencedAt);
