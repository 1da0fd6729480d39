namespace Reconciler.Core.Plans;

/// <summary>The plan for one host; <paramref name="Error"/> is set when the host could not be read at all.</summary>
public sealed record HostPlan(string Host, IReadOnlyList<ResourceChange> Changes, string? Error = null)
{
    public bool HasChanges => Changes.Any(c => c.Action.ChangesHost());

    public bool HasErrors => Error is not null || Changes.Any(c => c.Action == ChangeAction.Blocked);

    public int Count(ChangeAction action) => Changes.Count(c => c.Action == action);
}
