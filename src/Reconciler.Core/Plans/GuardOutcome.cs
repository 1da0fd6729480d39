namespace Reconciler.Core.Plans;

/// <summary>How commit-confirm ended for a host whose apply changed firewall or interface state.</summary>
public sealed record GuardOutcome(bool Confirmed, bool RolledBack, string Report);
