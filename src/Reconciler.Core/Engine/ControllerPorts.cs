using Reconciler.Core.Dns;
using Reconciler.Core.Model;

namespace Reconciler.Core.Engine;

/// <summary>
/// What the controller itself reaches besides the hosts, for kinds whose state lives partly off the host (a domain's DKIM
/// records on its nameservers). Adapters are given by the composition root; a port left null is "not available here",
/// which such a kind plans as a blocked change, never as a guess.
/// </summary>
public sealed record ControllerPorts(IAuthoritativeDns? Dns = null)
{
    public static ControllerPorts None { get; } = new();

    /// <summary>Why no port is given here (null: none is configured, or they are); shown where the kind would have asked.</summary>
    public string? Unavailable { get; init; }

    /// <summary>What the run trusts for where it may reach (a plan of a change: the base's specs); null trusts the specs planned.</summary>
    public TrustedInventory? Trusted { get; init; }

    /// <summary>
    /// The ports of one run (a plan, an apply, a watch cycle): its DNS lookups counted against one budget for the whole run
    /// (<see cref="BudgetedDns"/>), and its reach judged against <paramref name="trusted"/>.
    /// </summary>
    public ControllerPorts ForRun(TrustedInventory? trusted, int maxDnsLookups = BudgetedDns.DefaultMaxLookups) =>
        this with { Dns = Dns is null ? null : new BudgetedDns(Dns, maxDnsLookups), Trusted = trusted };

    /// <summary>The ports a resource's controller facts and apply get: none, saying why, where the run may not reach for it.</summary>
    public ControllerPorts For(Resource resource) =>
        Trusted?.WhyNotReached(resource) is { } why ? new ControllerPorts { Unavailable = why } : this;
}

/// <summary>
/// A provider whose resources also have facts the controller reads itself, after the host's answer and before the diff:
/// the observed state it returns replaces the host's for that resource (and is what the plan's fingerprint covers).
/// Never writes anything; failures are values in the observed state, not exceptions (cancellation aside).
/// </summary>
public interface IControllerFacts
{
    Task<object> ObserveAsync(Resource resource, object observed, ControllerPorts ports, CancellationToken ct);
}

/// <summary>
/// A provider whose changes also act from the controller (a DNS update), before the host's apply script runs. Called
/// only during apply, under the host's lock, for a change that changes the host's resource.
/// </summary>
public interface IControllerApply
{
    /// <summary>Does the controller's part of <paramref name="planned"/>; null when done or nothing to do, else one line saying why it failed.</summary>
    Task<string?> ApplyAsync(PlannedChange planned, ControllerPorts ports, CancellationToken ct);
}
