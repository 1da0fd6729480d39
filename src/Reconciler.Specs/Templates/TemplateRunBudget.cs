namespace Reconciler.Specs.Templates;

/// <summary>
/// What one reading of the specs has spent on templates so far, shared by every render. Once any of its limits is
/// passed, the render that passed it fails at its line and every later render is refused unrun, naming the limit.
/// </summary>
internal sealed class TemplateRunBudget(TemplateLimits limits, TimeProvider clock)
{
    public TemplateLimits Limits => limits;

    public TimeProvider Clock => clock;

    public long Steps { get; set; }

    public long Text { get; set; }

    /// <summary>Time of the renders that have finished.</summary>
    public TimeSpan Time { get; set; }

    /// <summary>Which of the run's limits was passed, or null while there is budget left.</summary>
    public string? SpentOn { get; private set; }

    /// <summary>Records the first limit passed and returns its description.</summary>
    public string Spend(string what) => SpentOn ??= what;
}
