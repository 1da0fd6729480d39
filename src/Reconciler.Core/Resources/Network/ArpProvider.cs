using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Network;

/// <summary>
/// ARP settings for DSR. Reads the sysctl facts (<see cref="SysctlFacts"/>: live value, and the value boot will set from sysctl.d), but
/// plans on the effective value the kernel uses: max(conf.all, conf.IFACE) for arp_ignore and arp_announce. A reset of
/// conf.lo while conf.all still holds the value is no drift; a lowered conf.all that an interface value covers is
/// none either — unless <c>all</c> itself is listed, which pins it.
/// </summary>
public sealed class ArpProvider : ResourceProvider<ArpSettingsResource, ArpObserved>
{
    public override string Kind => ArpSettingsResource.KindName;

    /// <summary>The conf names read for a resource: its own, plus <c>all</c> (needed for every effective value).</summary>
    internal static IReadOnlyList<string> NamesRead(ArpSettingsResource r) => r.Interfaces.Prepend("all").Distinct().ToList();

    /// <summary>The sysctl keys a resource reads, in path form (an interface name may hold a dot), keyed by <c>NAME/PARAMETER</c>.</summary>
    private static List<(string Name, string Key)> Keys(ArpSettingsResource r) =>
        NamesRead(r).SelectMany(n => ArpSettingsResource.Parameters.Select(p => ($"{n}/{p}", $"net/ipv4/conf/{n}/{p}"))).ToList();

    protected override string ReadScript(IReadOnlyList<ArpSettingsResource> resources) =>
        $"if [ -f {Sh.Quote(ArpSettingsResource.PersistFile)} ]; then printf 'Z\\n'; fi\n";

    // One host has at most one ARP resource (a duplicate is a spec error), but the contract is a list.
    protected override IReadOnlyList<FactQuery> SharedQueries(IReadOnlyList<ArpSettingsResource> resources) =>
        SysctlFacts.Queries(resources.SelectMany(Keys).Select(k => k.Key).ToList());

    protected override IReadOnlyList<ArpObserved> ParseFacts(IReadOnlyList<ArpSettingsResource> resources, FactAnswers answers)
    {
        var facts = SysctlFacts.Parse(resources.SelectMany(Keys).Select(k => k.Key).ToList(), answers);
        var managed = answers[Kind].Contains("Z");
        var offset = 0;
        return resources.Select(r =>
        {
            var mine = Keys(r);
            var byKey = mine.Select((k, i) => (k.Name, Fact: facts[offset + i])).ToDictionary(x => x.Name, x => x.Fact);
            offset += mine.Count;
            return new ArpObserved(byKey, managed);
        }).ToList();
    }

    protected override ResourceChange Diff(ArpSettingsResource desired, ArpObserved observed)
    {
        if (desired.Interfaces.FirstOrDefault(n => observed.Keys[$"{n}/arp_ignore"].Live is null) is { } missing)
        {
            return ResourceChange.Blocked(desired, $"this host has no interface '{missing}' (/proc/sys/net/ipv4/conf/{missing} does not exist)");
        }

        var unreadable = observed.Keys.FirstOrDefault(k => NotNumber(k.Value.Live) || NotNumber(k.Value.Persisted));
        if (unreadable.Key is not null)
        {
            return ResourceChange.Blocked(desired, $"net.ipv4.conf.{unreadable.Key.Replace('/', '.')} is not a number on this host");
        }

        var changes = new List<AttributeChange>();
        foreach (var parameter in ArpSettingsResource.Parameters)
        {
            var want = desired.Declared(parameter);
            var liveAll = Value(observed, "all", parameter, live: true) ?? 0;
            var bootAll = Value(observed, "all", parameter, live: false);

            // Without 'all' listed, a conf.all above the declared value makes every interface stricter than declared,
            // and only lowering conf.all (for every interface) could fix that: an operator's decision, not ours.
            if (!desired.Interfaces.Contains("all") && (liveAll > want || (bootAll ?? 0) > want))
            {
                var layer = liveAll > want ? $"{liveAll} (live)" : $"{bootAll} (persisted in {observed.Keys[$"all/{parameter}"].PersistedIn})";
                return ResourceChange.Blocked(desired,
                    $"net.ipv4.conf.all.{parameter} is {layer}, above the declared {want}; the kernel uses the larger value on every " +
                    "interface, so list 'all' in interfaces to manage it");
            }

            foreach (var name in desired.Interfaces)
            {
                var live = Value(observed, name, parameter, live: true)!.Value;
                var boot = Value(observed, name, parameter, live: false);
                changes.AddRange(Compare(parameter, name, want, liveAll, live, bootAll, boot, observed.Keys[$"{name}/{parameter}"].PersistedIn));
            }
        }

        if (changes.Count == 0)
        {
            return ResourceChange.NoOp(desired);
        }

        return new ResourceChange(desired.Address, observed.ManagedFileExists ? ChangeAction.Update : ChangeAction.Create, changes, desired.Source);
    }

    /// <summary>Live then persisted, per name: "effective arp_ignore on lo: 0 (all=0, lo=0) → 1".</summary>
    private static IEnumerable<AttributeChange> Compare(
        string parameter, string name, int want, int liveAll, int live, int? bootAll, int? boot, string? bootFile)
    {
        var pseudo = ArpSettingsResource.IsPseudoInterface(name);
        var effective = pseudo ? live : Math.Max(liveAll, live);
        if (effective != want)
        {
            yield return pseudo
                ? AttributeChange.Of(ArpAttributeNames.Live(parameter, name), $"{effective}", $"{want}")
                : AttributeChange.Of(ArpAttributeNames.EffectiveLive(parameter, name), $"{effective} (all={liveAll}, {name}={live})", $"{want}");
        }

        // Boot sets only what sysctl.d says; a key no file sets keeps the kernel's default, 0.
        var bootEffective = pseudo ? boot ?? 0 : Math.Max(bootAll ?? 0, boot ?? 0);
        if (bootEffective != want)
        {
            yield return pseudo
                ? AttributeChange.Of(ArpAttributeNames.Persisted(parameter, name), boot is null ? null : $"{boot} ({bootFile})", $"{want} ({ArpSettingsResource.PersistFile})")
                : AttributeChange.Of(ArpAttributeNames.EffectivePersisted(parameter, name), $"{bootEffective} (all={Show(bootAll)}, {name}={Show(boot)})", $"{want} ({ArpSettingsResource.PersistFile})");
        }
    }

    private static string Show(int? value) => value?.ToString() ?? "unset";

    private static bool NotNumber(string? text) => text is not null && !int.TryParse(text, out _);

    private static int? Value(ArpObserved observed, string name, string parameter, bool live)
    {
        var fact = observed.Keys[$"{name}/{parameter}"];
        return int.TryParse(live ? fact.Live : fact.Persisted, out var v) ? v : null;
    }

    protected override string ApplyScript(ArpSettingsResource desired, ArpObserved observed, ResourceChange change)
    {
        // Every listed key gets the declared value, live first (a value the kernel refuses is never persisted),
        // then the one persisted file. systemd-sysctl runs before networking at boot, so these are in place before
        // ifupdown brings a loopback VIP up again.
        var script = new StringBuilder();
        var persisted = new StringBuilder("# Managed by reconciler (dsr.arp); local edits are overwritten.\n")
            .Append("# The kernel uses max(conf.all, conf.IFACE) for these keys; a DSR VIP on lo must not answer ARP.\n");
        foreach (var name in desired.Interfaces)
        {
            foreach (var parameter in ArpSettingsResource.Parameters)
            {
                var proc = Sh.Quote($"/proc/sys/net/ipv4/conf/{name}/{parameter}");
                var want = desired.Declared(parameter);
                script.AppendLine($"printf '%s\\n' {want} > {proc}");
                script.AppendLine($"[ \"$(cat {proc})\" = {want} ] || {{ echo {Sh.Quote($"kernel kept {name}.{parameter} = ")}\"$(cat {proc})\" >&2; exit 1; }}");
                persisted.Append($"{ArpSettingsResource.SysctlKey(name, parameter)} = {want}\n");
            }
        }

        script.AppendLine($"rc_write {Sh.Quote(ArpSettingsResource.PersistFile)} {Sh.Quote(Sh.Base64(persisted.ToString()))}");
        script.AppendLine($"chmod 0644 {Sh.Quote(ArpSettingsResource.PersistFile)}");
        return script.ToString();
    }
}
