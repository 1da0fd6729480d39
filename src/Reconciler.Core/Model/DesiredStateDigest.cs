using System.Text;

namespace Reconciler.Core.Model;

/// <summary>
/// A digest of what hosts must look like, for telling whether two desired states (two commits, or a saved plan and
/// today's specs) differ for a host. A host's digest covers its inventory entry except the controller-local
/// <see cref="HostSpec.IdentityFile"/> (a CI runner and a laptop keep the key in different places) and every resource
/// in apply order; declaration positions are not part of it. Digests are keyed (<see cref="PlanKey"/>): the resources
/// carry secret values, and a plain hash of them would let a plan's reader test guesses offline.
/// </summary>
public static class DesiredStateDigest
{
    public static string Of(HostDesiredState host, PlanKey key) =>
        key.Hash(CanonicalJson.Serialize(new
        {
            host = new
            {
                host.Host.Name,
                host.Host.Address,
                host.Host.Port,
                host.Host.User,
                host.Host.HostKey,
                host.Host.Groups,
                host.Host.Variables,
            },
            resources = host.Resources.Select(r => new { type = r.GetType().Name, address = r.Address.ToString(), value = (object)r }),
        }));

    /// <summary>The digest of a whole state: every host's name and digest, by name, so host order does not matter.</summary>
    public static string Of(DesiredState state, PlanKey key) => Of(state.Hosts.Select(h => (h.Host.Name, Of(h, key))), key);

    /// <summary>The whole-state digest from per-host digests already computed (e.g. read back from a saved plan).</summary>
    public static string Of(IEnumerable<(string Host, string Digest)> hosts, PlanKey key)
    {
        var text = new StringBuilder();
        foreach (var (host, digest) in hosts.OrderBy(h => h.Host, StringComparer.Ordinal))
        {
            text.Append(host).Append(' ').Append(digest).Append('\n');
        }

        return key.Hash(text.ToString());
    }
}
