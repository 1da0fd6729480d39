using Reconciler.Core.Diagnostics;

namespace Reconciler.Core.Specs;

/// <summary>
/// A file resource's template, resolved relative to the YAML file that names it; <paramref name="FullPath"/> is where
/// it resolved to in the specs tree (<see cref="ISpecTree"/>), links already followed.
/// </summary>
public sealed record TemplateReference(string FullPath, string WrittenPath, SourceLocation ReferencedAt);
