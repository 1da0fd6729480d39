using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Services;

/// <summary>
/// Services: one read for all of a host's services (<see cref="ServiceFacts"/>), a diff of enabled and running, and as a
/// group each service's own change, then its restart or reload once after the watched resources of other kinds that change.
/// </summary>
public sealed class ServiceProvider : ResourceProvider<ServiceResource, ServiceObserved>
{
    /// <summary>Where systemd reads unit files: a changed file here needs a daemon-reload before the services act.</summary>
    public static readonly IReadOnlyList<string> UnitDirectories = ["/etc/systemd/system/", "/run/systemd/system/", "/lib/systemd/system/", "/usr/lib/systemd/system/"];

    public override string Kind => ServiceResource.KindName;

    protected override string ReadScript(IReadOnlyList<ServiceResource> resources) =>
        ServiceFacts.ReadScript(resources.Select(r => r.Name).ToList());

    protected override IReadOnlyList<ServiceObserved> ParseFacts(IReadOnlyList<ServiceResource> resources, FactAnswers answers) =>
        ServiceFacts.Parse(Kind, answers[Kind], resources.Count);

    protected override ResourceChange Diff(ServiceResource desired, ServiceObserved observed)
    {
        var wantsOn = desired.Enabled is true || desired.Running is true;
        if (!observed.Exists)
        {
            return wantsOn
                ? ResourceChange.Blocked(desired, observed.Manager == ServiceManager.Systemd
                    ? $"systemd has no unit {desired.Unit} on this host"
                    : $"this host has no init script /etc/init.d/{desired.Name} (no systemd: {observed.ManagerName})")
                : ResourceChange.NoOp(desired);
        }

        if (observed.Unknown is { } unknown) return ResourceChange.Blocked(desired, unknown);
        if (observed.Masked)
        {
            // A masked unit neither starts at boot nor runs: a spec that wants neither is satisfied.
            return wantsOn
                ? ResourceChange.Blocked(desired, $"{desired.Unit} is masked: it cannot be {(desired.Running is true ? "started" : "enabled")} until someone runs systemctl unmask {desired.Unit}")
                : ResourceChange.NoOp(desired);
        }

        var attributes = new List<AttributeChange>();
        if (desired.Enabled is { } enabled && observed.Enabled != enabled)
        {
            if (observed.Enabled is null)
            {
                return ResourceChange.Blocked(desired, $"{desired.Unit}'s unit file state is '{observed.FileState}': systemctl cannot {(enabled ? "enable" : "disable")} it");
            }

            attributes.Add(AttributeChange.Of(ServiceAttributeNames.Enabled, observed.FileState, enabled ? "enabled" : "disabled"));
        }

        if (desired.Running is { } running && observed.Active != running)
        {
            attributes.Add(AttributeChange.Of(ServiceAttributeNames.Running, observed.Active ? "running" : "stopped", running ? "running" : "stopped"));
        }

        return attributes.Count == 0
            ? ResourceChange.NoOp(desired)
            : new ResourceChange(desired.Address, ChangeAction.Update, attributes, desired.Source, $"through {observed.ManagerName}");
    }

    protected override string ApplyScript(ServiceResource desired, ServiceObserved observed, ResourceChange change) =>
        Own(desired, observed, change);

    /// <summary>
    /// Each service's own change is a step; a service restarted or reloaded only because watched resources change has a
    /// step that does nothing, so it has an outcome. The restart (or reload) follows the service and the watched resources
    /// that change, once; a restart makes a reload of the same service unneeded. A unit file that changes among the
    /// watched resources makes the first step begin with a daemon-reload.
    /// </summary>
    protected override ChangeGroup? Group(IReadOnlyList<PlannedChange> planned, IReadOnlyList<PlannedChange> host)
    {
        var changing = host.Where(p => p.Change.Action.ChangesHost() && p.Resource is not ServiceResource)
            .ToDictionary(p => p.Resource.Address.ToString(), p => p.Resource, StringComparer.Ordinal);
        var steps = new List<GroupStep>();
        var effects = new List<GroupEffect>();
        var unitFiles = new List<Resource>();
        foreach (var p in planned)
        {
            var service = (ServiceResource)p.Resource;
            var observed = (ServiceObserved)p.Observed;
            var own = OwnAttributes(p.Change);
            var blocked = p.Change.Action is ChangeAction.Blocked or ChangeAction.Skip;
            var restartBy = Changing(service.RestartWhen, changing);
            var reloadBy = restartBy.Count > 0 ? [] : Changing(service.ReloadWhen, changing);
            // Only a service that runs and stays running is restarted: one this apply starts reads the new files anyway.
            var stays = observed is { Exists: true, Active: true, Masked: false, Unknown: null } && service.Running is not false;
            var effect = blocked || !stays ? null
                : restartBy.Count > 0 ? (Action: ServiceAttributeNames.Restart, Command: "restart", By: restartBy, Effects: ChangeEffects.RestartsService)
                : reloadBy.Count > 0 ? (Action: ServiceAttributeNames.Reload, Command: "reload", By: reloadBy, Effects: ChangeEffects.ReloadsService)
                : ((AttributeName Action, string Command, IReadOnlyList<Resource> By, ChangeEffects Effects)?)null;
            if (own.Count == 0 && effect is null)
            {
                continue;
            }

            if (observed.Manager == ServiceManager.Systemd)
            {
                unitFiles.AddRange((effect?.By ?? []).Where(IsUnitFile).Where(r => !unitFiles.Contains(r)));
            }

            steps.Add(new GroupStep(service, own.Count == 0 ? ":" : Own(service, observed, p.Change)));
            if (effect is { } e)
            {
                effects.Add(new GroupEffect(e.Action, service.Name, e.Effects,
                    $"{Library}\nrc_svc_run {Manager(observed)} {e.Command} {Sh.Quote(service.Name)}",
                    [service, .. e.By],
                    $"because {string.Join(", ", e.By.Select(r => r.Address))} {(e.By.Count == 1 ? "changes" : "change")}"));
            }
        }

        if (steps.Count == 0)
        {
            return null;
        }

        if (unitFiles.Count > 0)
        {
            // Shown on the first service, done before its step: systemd reads the changed unit files before anything acts.
            steps[0] = steps[0] with { Script = "systemctl daemon-reload\n" + steps[0].Script };
            effects.Insert(0, new GroupEffect(ServiceAttributeNames.DaemonReload, "systemd", ChangeEffects.None, null, [steps[0].Member],
                $"because {string.Join(", ", unitFiles.Select(r => r.Address))} {(unitFiles.Count == 1 ? "changes" : "change")}"));
        }

        return new ChangeGroup(steps, effects);
    }

    private static IReadOnlyList<Resource> Changing(IReadOnlyList<WatchedAddress> watched, IReadOnlyDictionary<string, Resource> changing) =>
        watched.Select(w => changing.GetValueOrDefault(w.Address)).OfType<Resource>().Distinct().ToList();

    private static bool IsUnitFile(Resource r) =>
        r.Address.Kind == "file" && UnitDirectories.Any(d => r.Address.Name.StartsWith(d, StringComparison.Ordinal));

    /// <summary>The change's own attributes, without what a group added to it (a restart or reload shown on it).</summary>
    private static IReadOnlyList<AttributeChange> OwnAttributes(ResourceChange change) =>
        change.Action.ChangesHost()
            ? change.Attributes.Where(a => a.Name == ServiceAttributeNames.Enabled || a.Name == ServiceAttributeNames.Running).ToList()
            : [];

    private static string Own(ServiceResource desired, ServiceObserved observed, ResourceChange change)
    {
        var script = new StringBuilder(Library).AppendLine();
        var name = Sh.Quote(desired.Name);
        foreach (var a in OwnAttributes(change))
        {
            var on = a.After is PlanValue.Text { Value: "enabled" or "running" };
            script.AppendLine(a.Name == ServiceAttributeNames.Enabled
                ? $"rc_svc_{(on ? "enable" : "disable")} {Manager(observed)} {name}"
                : $"rc_svc_run {Manager(observed)} {(on ? "start" : "stop")} {name}");
        }

        return script.ToString().TrimEnd('\n');
    }

    private static string Manager(ServiceObserved observed) => observed.Manager == ServiceManager.Systemd ? "systemd" : "sysv";

    private static string Library => ServiceControl.Source + "\n" + ShellFiles.Load("services.sh");
}
