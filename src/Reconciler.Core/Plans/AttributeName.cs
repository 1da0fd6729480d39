namespace Reconciler.Core.Plans;

/// <summary>
/// An attribute as plans name it. A kind declares its names once (its <c>…AttributeNames</c> class) and its Diff and
/// Apply share those values, so what apply tests for is what the diff produced, never a string typed twice.
/// </summary>
public sealed record AttributeName(string Text)
{
    public override string ToString() => Text;
}
