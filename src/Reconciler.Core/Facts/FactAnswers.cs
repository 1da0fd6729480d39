namespace Reconciler.Core.Facts;

/// <summary>
/// What a host answered to the fact queries one provider asked: each query's lines, from its own section only, by unit.
/// </summary>
public sealed class FactAnswers
{
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>>? _byUnit;

    public FactAnswers(IReadOnlyDictionary<string, IReadOnlyList<string>> byUnit) => _byUnit = byUnit;

    private FactAnswers() => _byUnit = null;

    /// <summary>No host was asked (a host not contacted): every query answers nothing.</summary>
    public static FactAnswers None { get; } = new();

    /// <summary>The lines the query of <paramref name="unit"/> printed.</summary>
    /// <exception cref="InvalidOperationException">The provider asked no query of that unit: a bug in the provider.</exception>
    public IReadOnlyList<string> this[string unit] =>
        _byUnit is null ? []
        : _byUnit.TryGetValue(unit, out var lines) ? lines
        : throw new InvalidOperationException($"no fact query of unit '{unit}' was asked");
}
