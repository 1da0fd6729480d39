using Reconciler.Core.Specs;
namespace Reconciler.Specs.Resources;

/// <summary>A semantically valid resources file, its declarations in file order.</summary>
internal sealed record ResourceFile(string DisplayPath, ResourceTarget Target, IReadOnlyList<ResourceDeclaration> Declarations);
