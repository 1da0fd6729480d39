using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Firewall;

/// <summary>
/// <c>firewall: { block_sets, flag_rules }</c> — each file's section is declared as a <see cref="FirewallSection"/>;
/// a host's sections are joined into its ipsets and managed chains (<see cref="FirewallComposer"/>) before planning.
/// </summary>
public sealed class FirewallKind : IResourceKind
{
    public IReadOnlyList<string> Sections => ["firewall"];

    public IReadOnlyList<string> PlanKinds =>
        [BlockSetResource.KindName, FirewallNames.IptablesCommand(IpFamily.Ipv4), FirewallNames.IptablesCommand(IpFamily.Ipv6)];

    public IReadOnlyList<Type> ResourceTypes => [typeof(FirewallSection), typeof(BlockSetResource), typeof(FirewallChainResource)];

    public ChangeEffects Risk => ChangeEffects.TouchesFirewall;

    public IReadOnlyList<Type> After => [];

    /// <summary>Both live rulesets, the <c>rc-</c> ipsets and the persisted files (<see cref="FirewallShell"/>).</summary>
    public GuardedState Guard { get; } = new(FirewallShell.Snapshot, FirewallShell.Restore);

    public IReadOnlyList<KindGrammar> Grammars => [];

    public string SchemaFragment => Resources.SchemaFragment.Of(GetType(), "firewall.schema.json");

    public IReadOnlyList<IResourceProvider> CreateProviders() => [new BlockSetProvider(), new FirewallChainProvider()];

    public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading) =>
        file.Mapping("firewall") is { } firewall
            ? [new ResourceDeclaration(FirewallSectionReader.Read(firewall, reading.Files, reading.Diagnostics), null)]
            : [];

    public string Identity(Resource resource) => resource.Address.ToString();

    /// <summary>A firewall section is joined into sets and chains before planning, so no script ever holds it.</summary>
    public IReadOnlyList<HostileSample> HostileSamples(HostileText hostile) =>
    [
        new("ipset", new BlockSetProvider(), [new BlockSetResource(hostile.Line("set"), IpFamily.Ipv4, ["10.0.0.1", hostile.Line("entry")], HostileSample.At)], [])
        {
            Observed = [new BlockSetObserved(true, "hash:net", "inet", new HashSet<string> { "10.9.9.9" }, null, true)],
        },
        new("iptables", new FirewallChainProvider(), [new FirewallChainResource(IpFamily.Ipv4, [hostile.Text("rule")], [hostile.Line("chain-set")], HostileSample.At)], []),
    ];

    public IReadOnlyList<Resource> Compose(IReadOnlyList<Resource> resources) => FirewallComposer.Compose(resources);
}
