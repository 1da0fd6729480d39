using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Network;

/// <summary>
/// DSR VIPs on lo: live (<c>ip addr</c>) and persisted (ifupdown stanza on Debian, ifcfg on the Red Hat family),
/// each compared on its own. Refuses a VIP that would answer ARP: at plan time when the spec declares no ARP
/// settings for the host, and always right before the address is added. VIPs the spec no longer declares are
/// left alone; only a VIP whose address changed under the same label replaces the one its own file named.
/// </summary>
public sealed class LoopbackVipProvider : ResourceProvider<LoopbackVipResource, LoopbackVipObserved>
{
    public override string Kind => LoopbackVipResource.KindName;

    protected override string ReadScript(IReadOnlyList<LoopbackVipResource> resources)
    {
        // Host-wide facts once (every device's addresses, every interface's ARP values, the OS family, whether
        // ifupdown reads interfaces.d), then each VIP's candidate files for both families.
        var script = new StringBuilder("""
            if command -v ip >/dev/null 2>&1; then
              printf 'X\n'
              ip -o addr show | sed 's/^/I\t/'
            fi
            for rc_c in /proc/sys/net/ipv4/conf/*; do
              printf 'A\t%s\t%s\t%s\n' "${rc_c##*/}" "$(cat "$rc_c/arp_ignore")" "$(cat "$rc_c/arp_announce")"
            done
            if [ -f /etc/debian_version ]; then printf 'O\tdebian\n'; elif [ -f /etc/redhat-release ]; then printf 'O\tredhat\n'; fi
            if grep -Eqs '^[[:space:]]*source(-directory)?[[:space:]]+/etc/network/interfaces\.d' /etc/network/interfaces; then printf 'S\n'; fi

            """);
        for (var i = 0; i < resources.Count; i++)
        {
            foreach (var os in new[] { OsFamily.Debian, OsFamily.RedHat })
            {
                if (VipPersistence.PathFor(os, resources[i]) is { } path)
                {
                    script.AppendLine($"if [ -f {Sh.Quote(path)} ]; then printf 'F\\t{i}\\t{os}\\t%s\\n' \"$(base64 -w0 < {Sh.Quote(path)})\"; fi");
                }
            }
        }

        return script.ToString();
    }

    protected override IReadOnlyList<LoopbackVipObserved> ParseFacts(IReadOnlyList<LoopbackVipResource> resources, FactAnswers answers)
    {
        var lines = answers[Kind];
        var addresses = lines.Where(l => l.StartsWith("I\t", StringComparison.Ordinal))
            .Select(l => IpAddrOutput.Parse(l[2..])).OfType<InterfaceAddress>().ToList();
        var arp = lines.Select(l => l.Split('\t')).Where(f => f.Length == 4 && f[0] == "A")
            .Select(f => new ArpValues(f[1], int.TryParse(f[2], out var i) ? i : 0, int.TryParse(f[3], out var a) ? a : 0)).ToList();
        var os = lines.FirstOrDefault(l => l.StartsWith("O\t", StringComparison.Ordinal)) switch
        {
            "O\tdebian" => OsFamily.Debian,
            "O\tredhat" => OsFamily.RedHat,
            _ => OsFamily.Unknown,
        };
        var hasIp = lines.Contains("X");
        var bootRead = os != OsFamily.Debian || lines.Contains("S");
        var files = ByIndex(lines.Where(l => l.StartsWith("F\t", StringComparison.Ordinal)), resources.Count);
        return resources.Select((_, i) =>
        {
            var file = files[i].FirstOrDefault(f => f.Length == 4 && f[2] == os.ToString());
            return new LoopbackVipObserved(hasIp, addresses, arp, os, file is null ? null : Sh.DecodeBase64(file[3]), bootRead);
        }).ToList();
    }

    protected override ResourceChange Diff(LoopbackVipResource desired, LoopbackVipObserved observed)
    {
        if (!observed.HasIp)
        {
            return ResourceChange.Blocked(desired, "iproute2 ('ip') is not installed on this host");
        }

        if (VipPersistence.PathFor(observed.Os, desired) is not { } path || VipPersistence.Render(observed.Os, desired) is not { } rendered)
        {
            return ResourceChange.Blocked(desired, observed.Os == OsFamily.Unknown
                ? "cannot tell how to persist the VIP: the host has neither /etc/debian_version nor /etc/redhat-release"
                : "persisting an IPv6 VIP is supported with ifupdown (Debian) only, not with Red Hat ifcfg files");
        }

        var elsewhere = observed.Addresses.Where(a => a.Address == desired.Ip && a.Device != LoopbackVipResource.Device).Select(a => a.Device).Distinct().ToList();
        if (elsewhere.Count > 0)
        {
            return ResourceChange.Blocked(desired,
                $"{desired.Ip} is also configured on {string.Join(", ", elsewhere)}: there it answers ARP for the load balancer's address; remove it from there first");
        }

        // IPv6 has no ARP, and Linux answers neighbour solicitations only for addresses of the receiving interface.
        if (!desired.IsIPv6 && !desired.ArpDeclared && ArpSafety.Problem(observed.Arp) is { } unsafeArp)
        {
            return ResourceChange.Blocked(desired, $"{unsafeArp}; declare dsr.arp for this host (it is applied before any VIP)");
        }

        var changes = new List<AttributeChange>();
        var mine = Mine(desired, observed).ToList();
        var live = mine.Where(a => a.Address == desired.Ip).ToList();
        if (live.Count != 1 || live[0].Prefix != desired.PrefixLength || live[0].Label != desired.Label)
        {
            changes.Add(AttributeChange.Of(LoopbackVipAttributeNames.Live, live.Count == 0 ? null : string.Join(", ", live.Select(a => a.Text)), desired.LiveText));
        }

        foreach (var replaced in mine.Where(a => a.Address != desired.Ip))
        {
            changes.Add(AttributeChange.Of(LoopbackVipAttributeNames.Replaces, replaced.Text, null));
        }

        if (observed.PersistedText != rendered)
        {
            changes.Add(AttributeChange.Of(LoopbackVipAttributeNames.Persisted(path), observed.PersistedText, rendered));
        }

        if (changes.Count == 0)
        {
            return ResourceChange.NoOp(desired);
        }

        var note = observed.BootConfigRead
            ? null
            : "/etc/network/interfaces does not source /etc/network/interfaces.d (is ifupdown installed?): the VIP will not come back at boot";
        var action = live.Count == 0 && observed.PersistedText is null ? ChangeAction.Create : ChangeAction.Update;
        return new ResourceChange(desired.Address, action, changes, desired.Source, note);
    }

    /// <summary>
    /// The VIP's own address on lo in any form, plus the address its persisted file named before when that address
    /// is still on lo under the same label: that one was ours, and the label now belongs to the new address.
    /// </summary>
    private static IEnumerable<InterfaceAddress> Mine(LoopbackVipResource desired, LoopbackVipObserved observed)
    {
        var previous = VipPersistence.AddressIn(observed.PersistedText);
        return observed.Addresses.Where(a => a.Device == LoopbackVipResource.Device &&
            (a.Address == desired.Ip || (previous is not null && previous != desired.Ip && a.Address == previous && a.Label == desired.Label)));
    }

    protected override string ApplyScript(LoopbackVipResource desired, LoopbackVipObserved observed, ResourceChange change)
    {
        var script = new StringBuilder();
        var changed = change.Attributes.Select(a => a.Name).ToHashSet();
        if (changed.Contains(LoopbackVipAttributeNames.Live) || changed.Contains(LoopbackVipAttributeNames.Replaces))
        {
            // The guard comes first: a refused VIP leaves lo exactly as it was.
            if (!desired.IsIPv6)
            {
                script.AppendLine(ArpSafety.Guard);
            }

            foreach (var old in Mine(desired, observed))
            {
                script.AppendLine($"ip addr del {Sh.Quote(old.Cidr)} dev lo");
            }

            script.AppendLine(desired.IsIPv6
                ? $"ip -6 addr add {Sh.Quote(desired.Cidr)} dev lo"
                : $"ip addr add {Sh.Quote(desired.Cidr)} dev lo label {Sh.Quote(desired.Label!)}");
        }

        // Live first, as for sysctls: an address the kernel refuses is never written into the boot configuration.
        if (VipPersistence.PathFor(observed.Os, desired) is { } path
            && change.Attributes.FirstOrDefault(a => a.Name == LoopbackVipAttributeNames.Persisted(path)) is { After: PlanValue.Text { Value: var text } })
        {
            script.AppendLine($"mkdir -p -- {Sh.Quote(path[..path.LastIndexOf('/')])}");
            script.AppendLine($"rc_write {Sh.Quote(path)} {Sh.Quote(Sh.Base64(text))}");
            script.AppendLine($"chmod 0644 {Sh.Quote(path)}");
        }

        return script.ToString();
    }
}
