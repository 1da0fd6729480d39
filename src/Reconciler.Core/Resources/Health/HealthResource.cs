using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;

namespace Reconciler.Core.Resources.Health;

/// <summary>
/// A named set of health rules for the hosts a file targets (<c>health: [ { name, inodes_used_max, ... } ]</c>): watched
/// by a drift run, never planned or applied. <paramref name="Rules"/> are in the order the spec writes them.
/// </summary>
public sealed record HealthResource(string Name, IReadOnlyList<HealthRule> Rules, SourceLocation Source) : Resource(Source)
{
    public const string KindName = "health";

    public override ResourceAddress Address => new(KindName, Name);
}

/// <summary>One rule: its key as the spec writes it (<see cref="HealthRules"/>), its limit, and where it is declared.</summary>
public sealed record HealthRule(string Name, double Limit, SourceLocation Source);
