using System.Collections.Concurrent;
using System.Net;
using Reconciler.Core.Dns;

namespace Reconciler.Core.Tests.Support;

/// <summary>
/// An <see cref="IAuthoritativeDns"/> in memory: the zone's nameservers and each server's TXT answer are the test's; it
/// records every lookup and update it was asked for, so a test can count them and see that a plan never updates.
/// </summary>
internal sealed class FakeDns : IAuthoritativeDns
{
    public IReadOnlyList<Nameserver> Servers { get; init; } =
        [new("ns1.example.test", IPAddress.Parse("192.0.2.1")), new("ns2.example.test", IPAddress.Parse("192.0.2.2"))];

    /// <summary>What a server answers for a name; by default nothing is there.</summary>
    public Func<Nameserver, string, TxtLookup> Txt { get; init; } = (_, _) => new TxtLookup.Missing();

    public ConcurrentQueue<string> Lookups { get; } = new();

    public ConcurrentQueue<string> Updates { get; } = new();

    public Task<NameserverLookup> NameserversAsync(string zone, IPEndPoint? askFirst, CancellationToken ct)
    {
        Lookups.Enqueue($"NS {zone} at {askFirst?.ToString() ?? "resolver"}");
        return Task.FromResult<NameserverLookup>(new NameserverLookup.Found(Servers));
    }

    public Task<TxtLookup> TxtAsync(Nameserver server, string name, CancellationToken ct)
    {
        Lookups.Enqueue($"TXT {name} at {server}");
        return Task.FromResult(Txt(server, name));
    }

    public Task<string?> ReplaceTxtAsync(DnsUpdateTarget target, string name, int ttl, IReadOnlyList<string> strings, CancellationToken ct)
    {
        Updates.Enqueue($"replace {name} at {target}");
        return Task.FromResult<string?>(null);
    }

    public Task<string?> DeleteTxtAsync(DnsUpdateTarget target, string name, CancellationToken ct)
    {
        Updates.Enqueue($"delete {name} at {target}");
        return Task.FromResult<string?>(null);
    }
}
