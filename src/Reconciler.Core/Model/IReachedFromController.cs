namespace Reconciler.Core.Model;

/// <summary>
/// A resource whose state the controller itself reads off the host (a DKIM domain's records on its zone's nameservers).
/// Where the controller then sends packets is a decision a pull request must not make for itself, like which hosts it
/// connects to: a plan of a change reaches only what the base's specs reach (<see cref="TrustedInventory.WhyNotReached"/>).
/// </summary>
public interface IReachedFromController
{
    /// <summary>Where the controller goes for this resource, in words a plan shows (never a secret): equal text, equal reach.</summary>
    string ControllerReach { get; }
}
