namespace Reconciler.Core.Plans;

/// <summary>One attribute's observed value and the value apply will set, each typed (<see cref="PlanValue"/>).</summary>
public sealed record AttributeChange(AttributeName Name, PlanValue Before, PlanValue After)
{
    /// <summary>A secret changes: views show only that it does, and the plan JSON writes neither side.</summary>
    public bool Sensitive => Before is PlanValue.Sensitive || After is PlanValue.Sensitive;

    /// <summary>A plain attribute: each side text, or absent when null.</summary>
    public static AttributeChange Of(AttributeName name, string? before, string? after) => new(name, PlanValue.Of(before), PlanValue.Of(after));

    /// <summary>A secret attribute: each side only present (sensitive) or absent.</summary>
    public static AttributeChange Secret(AttributeName name, bool before, bool after) => new(name, PlanValue.Secret(before), PlanValue.Secret(after));

    /// <summary>This change as a secret when <paramref name="secret"/> (a spec's <c>sensitive: true</c>): only which sides have a value is kept.</summary>
    public AttributeChange SecretIf(bool secret) => secret ? Secret(Name, Before is not PlanValue.Absent, After is not PlanValue.Absent) : this;
}
