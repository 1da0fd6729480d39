namespace Reconciler.Core.Resources.Network;

/// <summary>
/// Whether a loopback VIP would answer ARP. An ARP request for the VIP arrives on a real interface; with
/// arp_ignore 0 there the kernel answers for any local address, lo's included, and steals the load balancer's
/// traffic; with arp_announce below 2 it may use the VIP as the source of its own requests. The kernel uses
/// max(conf.all, conf.IFACE) for both, so every interface but lo is checked on that effective value.
/// </summary>
public static class ArpSafety
{
    public const int MinIgnore = 1;
    public const int MinAnnounce = 2;

    /// <summary>Null when safe, else why, naming the first interface that would answer.</summary>
    public static string? Problem(IReadOnlyList<ArpValues> conf)
    {
        var all = conf.FirstOrDefault(c => c.Name == "all") ?? new ArpValues("all", 0, 0);
        foreach (var c in conf.Where(c => c.Name is not ("all" or "default" or "lo")))
        {
            var ignore = Math.Max(all.Ignore, c.Ignore);
            var announce = Math.Max(all.Announce, c.Announce);
            if (ignore < MinIgnore || announce < MinAnnounce)
            {
                return $"{c.Name} would answer ARP for it: effective arp_ignore {ignore} (all={all.Ignore}, {c.Name}={c.Ignore}), " +
                       $"arp_announce {announce} (all={all.Announce}, {c.Name}={c.Announce}); needs arp_ignore >= {MinIgnore} and arp_announce >= {MinAnnounce}";
            }
        }

        return null;
    }

    /// <summary>
    /// The same check in shell, run right before the address is added: if the ARP change before it failed, or
    /// someone lowered the values since the plan, the VIP does not come up.
    /// </summary>
    public static string Guard => GuardOver("/proc/sys/net/ipv4/conf");

    /// <summary>The guard over another conf tree, so tests can run it against a fake one.</summary>
    public static string GuardOver(string confRoot) => $$"""
        rc_ai=$(cat {{confRoot}}/all/arp_ignore); rc_aa=$(cat {{confRoot}}/all/arp_announce)
        for rc_c in {{confRoot}}/*; do
          rc_n=${rc_c##*/}
          case "$rc_n" in all|default|lo) continue ;; esac
          rc_i=$(cat "$rc_c/arp_ignore"); rc_a=$(cat "$rc_c/arp_announce")
          [ "$rc_ai" -gt "$rc_i" ] && rc_i=$rc_ai
          [ "$rc_aa" -gt "$rc_a" ] && rc_a=$rc_aa
          if [ "$rc_i" -lt 1 ] || [ "$rc_a" -lt 2 ]; then
            echo "refusing to add the VIP: $rc_n would answer ARP for it (effective arp_ignore $rc_i, arp_announce $rc_a)" >&2
            exit 1
          fi
        done
        """;
}
