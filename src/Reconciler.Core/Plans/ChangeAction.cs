namespace Reconciler.Core.Plans;

public enum ChangeAction
{
    /// <summary>Live state already matches.</summary>
    NoOp,
    Create,
    Update,
    Delete,

    /// <summary>Declared but deliberately not acted on (e.g. <c>when_missing: skip</c>); always shown, never silent.</summary>
    Skip,

    /// <summary>Cannot be planned on this host (e.g. the kernel has no such parameter); counts as an error.</summary>
    Blocked,
}
