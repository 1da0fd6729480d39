using Reconciler.Core.Facts;

namespace Reconciler.Core.Resources.Network;

/// <summary>
/// Live and persisted values of every <c>net.ipv4.conf.NAME.PARAMETER</c> the resource needs (its interfaces and
/// <c>all</c>), keyed <c>NAME/PARAMETER</c>, read by the same sysctl facts as the sysctl kind.
/// </summary>
public sealed record ArpObserved(IReadOnlyDictionary<string, SysctlFacts> Keys, bool ManagedFileExists);
