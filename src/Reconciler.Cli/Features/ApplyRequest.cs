namespace Reconciler.Cli.Features;

/// <param name="PlanFile">A JSON plan (plan --format json --out FILE) to apply exactly, or refuse if it no longer holds.</param>
/// <param name="LockTimeout">How long to wait for another apply's lock on a host; zero fails at once.</param>
/// <param name="Repo">Read the specs out of this repository's HEAD commit instead of the directory.</param>
/// <param name="Shard">Apply only this shard's part of the selected hosts (--shard K/N), of the saved plan too.</param>
/// <param name="Yes">Apply without showing the plan and asking first (--yes): for scripts, CI and anyone who reviewed the plan.</param>
internal sealed record ApplyRequest(
    string Specs, string? Hosts, TimeSpan? ConfirmTimeout, string? PlanFile = null, TimeSpan LockTimeout = default, string? Repo = null, bool Yes = false,
    Core.Model.Shard? Shard = null,
    int? Parallel = null);
