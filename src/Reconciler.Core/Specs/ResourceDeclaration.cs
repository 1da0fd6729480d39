using Reconciler.Core.Model;

namespace Reconciler.Core.Specs;

/// <summary>
/// One declared resource. With a template, <see cref="Resource"/> is a file without content until it is rendered for
/// each host.
/// </summary>
public sealed record ResourceDeclaration(Resource Resource, TemplateReference? Template);
