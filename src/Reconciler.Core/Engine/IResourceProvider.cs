using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Engine;

/// <summary>
/// One resource kind: read (a shell fragment and its parser), diff (pure) and apply (a shell fragment).
/// Reads are per kind, not per resource, so all of a host's facts come back in one round trip.
/// </summary>
public interface IResourceProvider
{
    string Kind { get; }

    Type ResourceType { get; }

    /// <summary>Shell fragment printing the facts for all these resources to stdout.</summary>
    string ReadScript(IReadOnlyList<Resource> resources);

    /// <summary>Parses the fragment's output into one observed state per resource, in the same order.</summary>
    IReadOnlyList<object> ParseFacts(IReadOnlyList<Resource> resources, IReadOnlyList<string> lines);

    ResourceChange Diff(Resource desired, object observed);

    /// <summary>
    /// The diff with the run's <see cref="PlanKey"/>, for a kind whose plan names live things only by keyed digests (the
    /// keys of table rows nobody declares); most kinds need no key and keep the plain diff.
    /// </summary>
    ResourceChange Diff(Resource desired, object observed, PlanKey key) => Diff(desired, observed);

    /// <summary>Shell fragment carrying out <paramref name="change"/>; runs under <c>set -e</c> in its own subshell.</summary>
    string ApplyScript(Resource desired, object observed, ResourceChange change);
}
