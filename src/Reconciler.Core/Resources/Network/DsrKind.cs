using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
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

    public IReadOnlyList<Type> After => [];

    /// <summary>The addresses on lo, every interface's ARP settings and the files the DSR resources write (<see cref="DsrSnapshot"/>).</summary>
    public GuardedState Guard { get; } = new(DsrSnapshot.Save, DsrSnapshot.Restore);

    public IReadOnlyList<KindGrammar> Grammars => [new("definitions/dsr_arp/properties/interfaces/items/pattern", DsrRules.InterfaceNamePattern)];

    public string SchemaFragment => Resources.SchemaFragment.Of(GetType(), "dsr.schema.json");

    public IReadOnlyList<IResourceProvider> CreateProviders() => [new ArpProvider(), new LoopbackVipProvider()];

    public string Identity(Resource resource) => resource.Address.ToString();

    /// <summary>
    /// Interface names cannot carry hostile text: SysctlKey refuses any key outside its grammar before a script exists.
    /// The facts: every ARP setting live at 0, nothing persisted; the VIP's host has the ARP settings and no address.
    /// </summary>
    public IReadOnlyList<HostileSample> HostileSamples(HostileText hostile) =>
    [
        new("dsr.arp", new ArpProvider(), [new ArpSettingsResource(1, 2, ["all", "lo"], HostileSample.At)], [])
        {
            SharedFacts = new Dictionary<string, IReadOnlyList<string>> { [SysctlFacts.LiveUnit] = ["L\t0\t0", "L\t1\t0", "L\t2\t0", "L\t3\t0"] },
        },
        new("dsr.vip", new LoopbackVipProvider(), [new LoopbackVipResource("192.0.2.100", hostile.Line("label"), true, HostileSample.At)],
            ["X", "A\tall\t1\t2", "A\tdefault\t0\t0", "A\tlo\t0\t0", "O\tdebian", "S"]),
    ];

    public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading) =>
        file.Mapping("dsr") is { } dsr ? DsrSectionReader.Read(dsr, reading.Diagnostics) : [];

    /// <summary>A host's ARP settings move before its first VIP, wherever they were declared (<see cref="DsrOrdering"/>).</summary>
    public IReadOnlyList<Resource> Compose(IReadOnlyList<Resource> resources) => DsrOrdering.Arrange(resources);
}
