using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources;

/// <summary>
/// One resource kind, declared in one place: the sections of a resources file it reads, the plan kinds and resource
/// types it produces, its JSON Schema fragment and the name grammars its code shares with it, its reader, its providers,
/// which kinds it is applied after, what counts as the same resource twice, what its changes risk and what commit-confirm
/// saves for them, how a host's declarations of it are joined and checked against other kinds before planning, and the
/// hostile samples the quoting property test runs. <see cref="ResourceKinds"/> lists the kinds; the composition root,
/// the spec reader, duplicate detection, the schema files and the kind-wide tests come from that list.
/// </summary>
public interface IResourceKind
{
    /// <summary>The top-level keys of a resources file this kind reads, as the schema lists them.</summary>
    IReadOnlyList<string> Sections { get; }

    /// <summary>
    /// The kinds its changes have in a plan (an address's part before '['), as the plan schema lists them. A test holds
    /// them equal to its samples' addresses (<see cref="HostileSamples"/>); a resource type's <c>KindName</c> constant is
    /// the usual way to write one once, not a requirement.
    /// </summary>
    IReadOnlyList<string> PlanKinds { get; }

    /// <summary>The concrete resource types it declares, including any joined away before planning.</summary>
    IReadOnlyList<Type> ResourceTypes { get; }

    /// <summary>
    /// The kinds (their types) whose declarations come before its own among one file's declarations; apply follows that
    /// order (<see cref="KindOrder"/>: each kind after these, ties in catalog order). Explicit, so a dependency between
    /// kinds (the mail database before dovecot before postfix) is written down, not implied; empty when it has none.
    /// </summary>
    IReadOnlyList<Type> After { get; }

    /// <summary>
    /// The JSON Schema fragment (an embedded file next to the kind): <c>properties</c> for its sections and the
    /// <c>definitions</c> they refer to. schemas/resources.schema.json is generated from the fragments.
    /// </summary>
    string SchemaFragment { get; }

    /// <summary>
    /// The name grammars its code checks that its schema fragment writes too (one test compares every kind's pair); empty
    /// when the fragment's patterns are the only check.
    /// </summary>
    IReadOnlyList<KindGrammar> Grammars { get; }

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

    /// <summary>
    /// A monitored kind: its resources are watched by a drift run (its providers implement <see cref="IMonitorProvider"/>)
    /// and never planned or applied; the spec reader keeps them apart in <see cref="HostDesiredState.Monitors"/>.
    /// </summary>
    bool Monitors => false;

    /// <summary>
    /// What commit-confirm saves before any of its changes runs and restores on a rollback, once however many of its
    /// resources change; null for a kind whose changes cannot cut the controller off (one with a <see cref="Risk"/> needs one).
    /// </summary>
    GuardedState? Guard => null;

    /// <summary>
    /// What makes two of its resources the same thing on one host: two declarations with one identity are a spec error,
    /// as they would fight on every apply. Stated by every kind, as the address is not always enough (a sysctl written
    /// dotted or as a path; a singleton whose address holds its value).
    /// </summary>
    string Identity(Resource resource);

    /// <summary>Joins one host's resources (all kinds, in order) into what is planned; most kinds leave them as they are.</summary>
    IReadOnlyList<Resource> Compose(IReadOnlyList<Resource> resources) => resources;

    /// <summary>
    /// Problems between one host's rendered resources of several kinds, before they are joined (a file mode whose bits a
    /// permissions resource clears). The spec reader reports each distinct problem once, naming every host it affects.
    /// </summary>
    IEnumerable<Diagnostic> Check(IReadOnlyList<Resource> resources) => [];

    /// <summary>
    /// Each of its resource types its providers plan, filled with <paramref name="hostile"/> text wherever its code does not
    /// refuse it first, with the facts or observed states that make apply do work: the quoting property test runs these.
    /// </summary>
    IReadOnlyList<HostileSample> HostileSamples(HostileText hostile);
}
