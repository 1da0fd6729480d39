using Reconciler.Core.Resources.Sysctl;

namespace Reconciler.Core.Resources.Network;

/// <summary>
/// Live and persisted values of every <c>net.ipv4.conf.NAME.PARAMETER</c> the resource needs (its interfaces and
/// <c>all</c>), keyed <c>NAME/PARAMETER</c>, read exactly as the sysctl kind reads a key.
/// </summary>
public sealed record ArpObserved(IReadOnlyDictionary<string, SysctlObserved> Keys, bool ManagedFileExists);
