namespace Reconciler.Core.Engine;

/// <summary>What the host said when asked for the apply lock; holder and since name the previous or current owner.</summary>
internal sealed record LockAnswer(LockStatus Status, string? Holder, string? Since, string? Problem = null)
{
    public bool Acquired => Status is LockStatus.Acquired or LockStatus.TakenOver;

    public string Owner => $"{Holder ?? "an unknown holder"} since {Since ?? "an unknown time"}";
}
