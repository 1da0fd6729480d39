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

    public int ApplyOrder => 60;

    public string SchemaFragment => Resources.SchemaFragment.Of(GetType(), "firewall.schema.json");

    public IReadOnlyList<IResourceProvider> CreateProviders() => [new BlockSetProvider(), new FirewallChainProvider()];

    public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading) =>
        file.Mapping("firewall") is { } firewall
            ? [new ResourceDeclaration(FirewallSectionReader.Read(firewall, reading.Files, reading.Diagnostics), null)]
            : [];

    public IReadOnlyList<Resource> Compose(IReadOnlyList<Resource> resources) => FirewallComposer.Compose(resources);
}
