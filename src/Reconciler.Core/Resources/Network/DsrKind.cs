using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Network;

/// <summary><c>dsr: { arp, vips }</c> — Direct Server Return: ARP settings and loopback VIPs, guarded by commit-confirm.</summary>
public sealed class DsrKind : IResourceKind
{
    public IReadOnlyList<string> Sections => ["dsr"];

    public IReadOnlyList<string> PlanKinds => [ArpSettingsResource.KindName, LoopbackVipResource.KindName];

    public IReadOnlyList<Type> ResourceTypes => [typeof(ArpSettingsResource), typeof(LoopbackVipResource)];

    public ChangeEffects Risk => ChangeEffects.TouchesNetworkInterfaces;

    public int ApplyOrder => 50;

    public string SchemaFragment => Resources.SchemaFragment.Of(GetType(), "dsr.schema.json");

    public IReadOnlyList<IResourceProvider> CreateProviders() => [new ArpProvider(), new LoopbackVipProvider()];

    public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading) =>
        file.Mapping("dsr") is { } dsr ? DsrSectionReader.Read(dsr, reading.Diagnostics) : [];

    /// <summary>A host's ARP settings move before its first VIP, wherever they were declared (<see cref="DsrOrdering"/>).</summary>
    public IReadOnlyList<Resource> Compose(IReadOnlyList<Resource> resources) => DsrOrdering.Arrange(resources);
}
