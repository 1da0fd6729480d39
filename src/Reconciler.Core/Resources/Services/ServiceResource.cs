using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Services;

/// <summary>
/// A service: whether it starts at boot (<paramref name="Enabled"/>) and runs now (<paramref name="Running"/>), each
/// unmanaged when null, and the resources of the same host whose change restarts or reloads it.
/// </summary>
public sealed record ServiceResource(
    string Name, bool? Enabled, bool? Running, IReadOnlyList<WatchedAddress> RestartWhen, IReadOnlyList<WatchedAddress> ReloadWhen, SourceLocation Source)
    : Resource(Source)
{
    public const string KindName = "service";

    public override ResourceAddress Address => new(KindName, Name);

    /// <summary>The systemd unit the name stands for.</summary>
    public string Unit => Name + ".service";
}
