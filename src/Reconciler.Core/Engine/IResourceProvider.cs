using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Engine;

/// <summary>
/// One resource kind: read (fact queries and their parser), diff (pure) and apply (a shell fragment, or one group per host).
/// Reads are per kind, not per resource, so all of a host's facts come back in one round trip.
/// </summary>
public interface IResourceProvider
{
    string Kind { get; }

    Type ResourceType { get; }

    /// <summary>The fact queries for all these resources; each is framed in a section of its own, and equal ones are read once.</summary>
    IReadOnlyList<FactQuery> Queries(IReadOnlyList<Resource> resources);

    /// <summary>Parses the answers to <see cref="Queries"/> into one observed state per resource, in the same order.</summary>
    IReadOnlyList<object> ParseFacts(IReadOnlyList<Resource> resources, FactAnswers answers);

    ResourceChange Diff(Resource desired, object observed);

    /// <summary>
    /// The diff with the run's <see cref="PlanKey"/>, for a kind whose plan names live things only by keyed digests (the
    /// keys of table rows nobody declares); most kinds need no key and keep the plain diff.
    /// </summary>
    ResourceChange Diff(Resource desired, object observed, PlanKey key) => Diff(desired, observed);

    /// <summary>Shell fragment carrying out <paramref name="change"/>; runs under <c>set -e</c> in its own subshell.</summary>
    string ApplyScript(Resource desired, object observed, ResourceChange change);

    /// <summary>
    /// How this kind's changes on one host apply together, given every resource of the kind on the host with its diff
    /// (changing or not): null, the default, applies one change at a time with <see cref="ApplyScript"/>.
    /// </summary>
    ChangeGroup? Group(IReadOnlyList<PlannedChange> planned) => null;

    /// <summary>
    /// <see cref="Group(IReadOnlyList{PlannedChange})"/> for a kind whose effects follow resources of other kinds (a
    /// service restarted because a file changes): <paramref name="host"/> is every planned resource on the host, read-only.
    /// </summary>
    ChangeGroup? Group(IReadOnlyList<PlannedChange> planned, IReadOnlyList<PlannedChange> host) => Group(planned);
}
