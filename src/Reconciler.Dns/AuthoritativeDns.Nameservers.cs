using System.Net;
using System.Net.Sockets;
using Reconciler.Core.Dns;
using Reconciler.Dns.Wire;

namespace Reconciler.Dns;

public sealed partial class AuthoritativeDns
{
    public async Task<NameserverLookup> NameserversAsync(string zone, IPEndPoint? askFirst, CancellationToken ct)
    {
        var zoneName = DnsName.Parse(zone, out var problem);
        if (zoneName is null)
        {
            return new NameserverLookup.Failed(Reason.Line(problem!));
        }

        using var deadline = StartDeadline(ct);
        try
        {
            if (askFirst is not null)
            {
                return await NameserversFromAsync(askFirst, zoneName, authoritative: true, deadline.Token, ct);
            }

            var resolvers = _options.Resolvers ?? SystemResolvers();
            if (resolvers.Count == 0)
            {
                return new NameserverLookup.Failed($"no server to ask for the NS records of {Reason.Name(zoneName)}: this machine has no resolver configured");
            }

            // The first resolver that answers at all is believed, as a stub resolver would.
            NameserverLookup? lookup = null;
            foreach (var resolver in resolvers)
            {
                lookup = await NameserversFromAsync(resolver, zoneName, authoritative: false, deadline.Token, ct);
                if (lookup is NameserverLookup.Found || deadline.IsCancellationRequested)
                {
                    break;
                }
            }

            return lookup!;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new NameserverLookup.Failed(Reason.Line($"looking up the NS records of {Reason.Name(zoneName)} failed: {e.GetType().Name}"));
        }
    }

    /// <param name="authoritative">
    /// Asking one of the zone's own servers: no recursion, and its NS answer must carry the AA bit. Otherwise a resolver,
    /// asked with recursion.
    /// </param>
    private async Task<NameserverLookup> NameserversFromAsync(
        IPEndPoint server, DnsName zone, bool authoritative, CancellationToken deadline, CancellationToken ct)
    {
        var shownZone = Reason.Name(zone);
        var (response, failure) = await AskAsync(server, zone, DnsType.Ns, recursionDesired: !authoritative, deadline, ct);
        if (response is null)
        {
            return Failed(failure!);
        }

        if (response.ResponseCode != 0)
        {
            return Failed($"{server} answered {Reason.ResponseCode(response.ResponseCode)} for NS {shownZone}");
        }

        if (authoritative && !response.Authoritative)
        {
            return Failed($"{server} is not authoritative for {shownZone} (its NS answer has no AA bit)");
        }

        var names = response.Answers.OfType<DnsNameRecord>()
            .Where(r => r.Type == DnsType.Ns && r.Owner.Equals(zone))
            .Select(r => r.Target)
            .Distinct()
            .ToList();
        if (names.Count == 0)
        {
            return Failed($"{server} answered no NS records for {shownZone}");
        }

        if (names.Count > _options.MaxNameservers)
        {
            return Failed($"{shownZone} has more than {_options.MaxNameservers} NS records at {server}");
        }

        // Glue first; the names it does not cover are asked of the same server, all at once (the call has one deadline).
        var glue = names.ToDictionary(name => name, name => AddressesOf(response.Additional, name));
        var asked = await Task.WhenAll(names.Where(name => glue[name].Count == 0)
            .Select(async name => (Name: name, Result: await AddressesFromAsync(server, name, recursionDesired: !authoritative, deadline, ct))));

        var servers = new List<Nameserver>();
        foreach (var name in names)
        {
            var addresses = glue[name];
            if (addresses.Count == 0)
            {
                var (found, why) = asked.Single(a => a.Name.Equals(name)).Result;
                if (found.Count == 0)
                {
                    return Failed($"NS {Reason.Name(name)} of {shownZone} has no address: no glue from {server}, and {why}");
                }

                addresses = found;
            }

            if (addresses.Count > _options.MaxAddressesPerNameserver)
            {
                return Failed($"NS {Reason.Name(name)} of {shownZone} has more than {_options.MaxAddressesPerNameserver} addresses at {server}");
            }

            servers.AddRange(addresses.Select(address => new Nameserver(name.ToString(), address)));
        }

        return new NameserverLookup.Found(servers
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ThenBy(s => s.Address.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)
            .ThenBy(s => s.Address.GetAddressBytes(), AddressBytes.Comparer)
            .ToList());

        static NameserverLookup Failed(string reason) => new NameserverLookup.Failed(Reason.Line(reason));
    }

    /// <summary>The A and AAAA records of <paramref name="name"/> the server answers; none and why when there are none.</summary>
    private async Task<(List<IPAddress> Addresses, string Why)> AddressesFromAsync(
        IPEndPoint server, DnsName name, bool recursionDesired, CancellationToken deadline, CancellationToken ct)
    {
        var addresses = new List<IPAddress>();
        var why = $"{server} answered no A or AAAA record for it";
        foreach (var type in new[] { DnsType.A, DnsType.Aaaa })
        {
            var (response, failure) = await AskAsync(server, name, type, recursionDesired, deadline, ct);
            if (response is null)
            {
                why = failure!;
                continue;
            }

            // NXDOMAIN, REFUSED (a name outside the zones it serves) or an empty answer: no address from here.
            if (response.ResponseCode == 0)
            {
                addresses.AddRange(AddressesOf(response.Answers, name).Where(a => a.AddressFamily == (type == DnsType.A ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6)));
            }
            else
            {
                why = $"{server} answered {Reason.ResponseCode(response.ResponseCode)} for {DnsType.Name(type)} of it";
            }
        }

        return (addresses.Distinct().ToList(), why);
    }

    private static List<IPAddress> AddressesOf(IEnumerable<DnsRecord> records, DnsName owner) =>
        records.OfType<DnsAddressRecord>().Where(r => r.Owner.Equals(owner)).Select(r => r.Address).Distinct().ToList();

    /// <summary>The controller's resolvers as the system configures them (resolv.conf on Linux), read by DnsClient.</summary>
    private static List<IPEndPoint> SystemResolvers()
    {
        try
        {
            return DnsClient.NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false)
                .Select(ns => IPAddress.TryParse(ns.Address, out var address) ? new IPEndPoint(address, ns.Port) : null)
                .OfType<IPEndPoint>()
                .ToList();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return [];
        }
    }

    /// <summary>Addresses of one family ordered by their bytes, so the found list has one order whatever the server sent.</summary>
    private sealed class AddressBytes : IComparer<byte[]>
    {
        public static readonly AddressBytes Comparer = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
