namespace Reconciler.Specs.Templates;

/// <summary>
/// What template work may cost: per render, and for all renders of one reading of the specs together (every template,
/// every host), so neither one large render nor many small ones (a slow template declared 200 times, 3×999 strings of
/// 1 MB) can hold the controller for minutes or fill its memory. "Text" counts the characters of every string a
/// template builds and the items of every list — what it allocates, not just what it outputs.
/// </summary>
internal sealed record TemplateLimits(
    long StepsPerRender,
    TimeSpan TimePerRender,
    long TextPerRender,
    long StepsPerRun,
    TimeSpan TimePerRun,
    long TextPerRun)
{
    /// <summary>Honest templates use a few thousand steps and kilobytes; these leave a hundredfold margin and keep a run
    /// of validate or plan under a minute and a few hundred megabytes whatever the templates do.</summary>
    public static TemplateLimits Default { get; } = new(
        StepsPerRender: 2_000_000,
        TimePerRender: TimeSpan.FromSeconds(2),
        TextPerRender: 16 * 1024 * 1024,
        StepsPerRun: 10_000_000,
        TimePerRun: TimeSpan.FromSeconds(15),
        TextPerRun: 64 * 1024 * 1024);
}
