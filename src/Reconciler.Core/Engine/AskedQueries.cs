using Reconciler.Core.Facts;
using Reconciler.Core.Model;

namespace Reconciler.Core.Engine;

/// <summary>A host's fact read: each provider with its resources and queries, and each distinct query with its section, in the order asked.</summary>
internal sealed record AskedQueries(
    IReadOnlyList<(IResourceProvider Provider, IReadOnlyList<Resource> Resources, IReadOnlyList<FactQuery> Queries)> Providers,
    IReadOnlyList<(FactQuery Query, string Section)> Framed)
{
    public IReadOnlyDictionary<FactQuery, string> Sections { get; } = Framed.ToDictionary(f => f.Query, f => f.Section);
}
