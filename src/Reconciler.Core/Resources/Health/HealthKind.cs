using System.Text.RegularExpressions;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Health;

/// <summary>
/// <c>health: [ { name, inodes_used_max, space_used_max, memory_available_min, syn_recv_max, mount_count_below_max,
/// load_per_cpu_max } ]</c> — the first seed's hand checks as rules a drift run judges on every targeted host, in the
/// same fact round trip. A monitored kind: never planned, applied or digested.
/// </summary>
public sealed partial class HealthKind : IResourceKind
{
    /// <summary>A rule set's name, as its address shows it: health[baseline].</summary>
    public const string NamePattern = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";

    public IReadOnlyList<string> Sections => [HealthReader.Section];

    public IReadOnlyList<string> PlanKinds => [HealthResource.KindName];

    public IReadOnlyList<Type> ResourceTypes => [typeof(HealthResource)];

    /// <summary>Nothing: it is never applied, so it has no place in the apply order.</summary>
    public IReadOnlyList<Type> After => [];

    public string SchemaFragment => Resources.SchemaFragment.Of(GetType(), "health.schema.json");

    public IReadOnlyList<KindGrammar> Grammars => [new("definitions/health/properties/name/pattern", NamePattern)];

    public bool Monitors => true;

    public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading) => HealthReader.Read(file, reading);

    public IReadOnlyList<IResourceProvider> CreateProviders() => [new HealthProvider()];

    public string Identity(Resource resource) => resource.Address.ToString();

    /// <summary>The read holds no value of the resource (its name is never in the script); the facts are a small host's.</summary>
    public IReadOnlyList<HostileSample> HostileSamples(HostileText hostile) =>
    [
        new("health", new HealthProvider(),
            [new HealthResource("h-" + hostile.Name("health"), [new HealthRule(HealthRules.InodesUsedMax, 90, HostileSample.At)], HostileSample.At)],
            [
                "CLOCK\t1700000000", "UPTIME\t12.5", "LOAD\t0.10\t0.20\t0.30\t2", "MEM\t1000\t500\t200\t100", "SYN\t0\tss",
                "FS\t0\t/\t/dev/sda1\text4\t1000\t500\t400\t4096\t100\t50", "CHECK\t0\t3\t-1\t1700000000", "LEFT\t0", "END",
            ]),
    ];

    internal static bool IsName(string name) => Name().IsMatch(name);

    /// <summary>The grammar as the code runs it: '$' would also match before a final newline.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\z")]
    private static partial Regex Name();
}
