using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Specs;

/// <summary>
/// One declared resource. With a template, <see cref="Resource"/> is a file without content until it is rendered for
/// each host.
/// </summary>
public sealed record ResourceDeclaration(Resource Resource, TemplateReference? Template)
{
    /// <summary>Where a file's mode was written, for diagnostics about the mode itself.</summary>
    public SourceLocation? ModeLocation { get; init; }
}
