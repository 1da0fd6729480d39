namespace Reconciler.Cli.Tests.Composition;

/// <summary>Issue 21: a plan key that is too short is refused in a sentence the key itself does not mask.</summary>
public sealed class PlanKeyErrorTests
{
    [Fact]
    public async Task A_too_short_plan_key_is_refused_in_a_readable_sentence()
    {
        var output = new StringWriter();

        var exit = await App.RunAsync(["validate", "--specs", "/nonexistent"], new Terminal(output, output, false, false), null, default,
            name => name == "RECONCILER_PLAN_KEY" ? "short" : null, ["RECONCILER_PLAN_KEY"]);

        Assert.Equal(1, exit);
        Assert.StartsWith("error: RECONCILER_PLAN_KEY is too short: use at least", output.ToString());
        Assert.DoesNotContain("sensitive", output.ToString());
    }
}
