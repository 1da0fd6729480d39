using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources;

/// <summary>
/// One resource kind, declared in one place: the sections of a resources file it reads, the plan kinds and resource
/// types it produces, its JSON Schema fragment, its reader, its providers, where it comes in apply order, what counts
/// as the same resource twice, what its changes risk, and how a host's declarations of it are joined before planning. <see cref="ResourceKinds"/>
/// lists the kinds; the composition root, the spec reader, duplicate detection and the schema files come from that list.
/// </summary>
public interface IResourceKind
{
    /// <summary>The top-level keys of a resources file this kind reads, as the schema lists them.</summary>
    IReadOnlyList<string> Sections { get; }

    /// <summary>The kinds its changes have in a plan (an address's part before '['), as the plan schema lists them.</summary>
    IReadOnlyList<string> PlanKinds { get; }

    /// <summary>The concrete resource types it declares, including any joined away before planning.</summary>
    IReadOnlyList<Type> ResourceTypes { get; }

    /// <summary>
    /// Where its declarations come among one file's declarations, lower first; apply follows that order. Explicit, so
    /// a dependency between kinds (the mail database before dovecot before postfix) is written down, not implied.
    /// </summary>
    int ApplyOrder { get; }

    /// <summary>
    /// The JSON Schema fragment (an embedded file next to the kind): <c>properties</c> for its sections and the
    /// <c>definitions</c> they refer to. schemas/resources.schema.json is generated from the fragments.
    /// </summary>
    string SchemaFragment { get; }

    /// <summary>Its declarations in one schema-valid resources file, every semantic problem reported to <paramref name="reading"/>.</summary>
    IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading);

    /// <summary>New providers for its resource types (the composition root registers them).</summary>
    IReadOnlyList<IResourceProvider> CreateProviders();

    /// <summary>
    /// What every change of its resources risks besides itself, whatever the change (a firewall or interface change can
    /// cut the controller off); the engine adds it to each planned change, and the plan's warnings read it from there.
    /// Effects that depend on the change (a reload, a restart, deleted rows) are set by the provider's diff.
    /// </summary>
    ChangeEffects Risk => ChangeEffects.None;

    /// <summary>What makes two of its resources the same thing on one host, when that is more than the address.</summary>
    string? Identity(Resource resource) => null;

    /// <summary>Joins one host's resources (all kinds, in order) into what is planned; most kinds leave them as they are.</summary>
    IReadOnlyList<Resource> Compose(IReadOnlyList<Resource> resources) => resources;
}
