using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Firewall;

/// <summary>One family's half of a block set: an ipset of type hash:net, e.g. <c>ipset[rc-blocklist-v4]</c>.</summary>
/// <param name="Entries">Canonical entries (see <see cref="BlockEntry"/>), sorted and without duplicates.</param>
public sealed record BlockSetResource(string SetName, IpFamily Family, IReadOnlyList<string> Entries, SourceLocation Source) : Resource(Source)
{
    public const string KindName = "ipset";

    public override ResourceAddress Address => new(KindName, SetName);

    /// <summary>Room to grow without recreating the set (maxelem is fixed at creation), and never below ipset's default.</summary>
    public int MaxElements => Math.Max(65536, (int)Math.Min(int.MaxValue, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, Entries.Count) * 2)));
}
