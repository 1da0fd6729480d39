using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Engine;

/// <summary>A resource with what the host had and what its diff decided: what a kind groups its changes from.</summary>
public sealed record PlannedChange(Resource Resource, object Observed, ResourceChange Change);
