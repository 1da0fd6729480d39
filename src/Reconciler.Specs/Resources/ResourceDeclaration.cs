using Reconciler.Core.Model;

namespace Reconciler.Specs.Resources;

/// <summary>
/// One declared resource. With a template, <see cref="Resource"/> is a file without content until it is rendered for
/// each host.
/// </summary>
internal sealed record ResourceDeclaration(Resource Resource, TemplateReference? Template);
