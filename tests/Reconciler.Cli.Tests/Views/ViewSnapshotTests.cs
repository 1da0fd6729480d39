using System.Text.RegularExpressions;
using NJsonSchema;
using Reconciler.Cli.Views;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Tests.Views;

/// <summary>Every view of one hand-built plan (all actions, multi-line and sensitive content, an unreachable host).</summary>
public class ViewSnapshotTests
{
    private static readonly Plan Plan = SamplePlans.AllActions();

    [Fact]
    public void Plan_text_view_matches_the_approved_snapshot() =>
        Approvals.Verify(PlanTextView.Render(Plan, Styles.Plain), "plan.text");

    [Fact]
    public void Plan_markdown_view_matches_the_approved_snapshot() =>
        Approvals.Verify(PlanMarkdownView.Render(Plan), "plan.markdown");

    [Fact]
    public void Plan_json_view_matches_the_approved_snapshot() =>
        Approvals.Verify(PlanJsonView.Render(Plan, SamplePlans.GeneratedAt), "plan.json");

    [Fact]
    public void Drift_markdown_view_matches_the_approved_snapshot() =>
        Approvals.Verify(DriftMarkdownView.Render(Plan, SamplePlans.GeneratedAt), "drift.markdown");

    [Fact]
    public void Empty_plan_views_match_the_approved_snapshot() =>
        Approvals.Verify(
            string.Join("\n---\n", PlanTextView.Render(SamplePlans.Empty(), Styles.Plain), PlanMarkdownView.Render(SamplePlans.Empty()),
                PlanJsonView.Render(SamplePlans.Empty(), SamplePlans.GeneratedAt), DriftMarkdownView.Render(SamplePlans.Empty(), SamplePlans.GeneratedAt)),
            "plan.empty");

    [Fact]
    public void Apply_text_view_matches_the_approved_snapshot()
    {
        var web1 = Host("web-1");
        var outcomes = web1.Changes.Where(c => c.Action.ChangesHost())
            .Select(c => c.Address.Name == "/etc/cron.deny"
                ? new ResourceOutcome(c.Address, c.Action, false, "rm: cannot remove '/etc/cron.deny': Operation not permitted")
                : new ResourceOutcome(c.Address, c.Action, true))
            .ToList();
        var stillDiffers = new HostPlan("web-1", [new ResourceChange(new ResourceAddress("file", "/etc/cron.deny"), ChangeAction.Delete, [], new SourceLocation("resources/web.yaml", 44, 5))]);
        var result = new ApplyResult(
        [
            new HostApplyResult("web-1", web1, outcomes, stillDiffers),
            new HostApplyResult("web-2", Host("web-2"), [], Host("web-2")),
            new HostApplyResult("db-1", Host("db-1"), [], null, Host("db-1").Error),
        ]);

        Approvals.Verify(ApplyTextView.Render(result, Styles.Plain), "apply.text");
    }

    private static HostPlan Host(string name) => Plan.Hosts.Single(h => h.Host == name);

    public static TheoryData<string, Func<string>> Renderings => new()
    {
        { "text", () => PlanTextView.Render(Plan, Styles.Plain) },
        { "text-colour", () => PlanTextView.Render(Plan, new Styles(true)) },
        { "markdown", () => PlanMarkdownView.Render(Plan) },
        { "json", () => PlanJsonView.Render(Plan, SamplePlans.GeneratedAt) },
        { "drift", () => DriftMarkdownView.Render(Plan, SamplePlans.GeneratedAt) },
    };

    [Theory]
    [MemberData(nameof(Renderings))]
    public void No_view_ever_contains_a_sensitive_value(string view, Func<string> render)
    {
        var output = render();

        Assert.DoesNotContain("SECRET", output);
        Assert.DoesNotContain("BEGIN KEY", output);
        Assert.Contains("token", output); // the resource itself is still listed ({view})
        _ = view;
    }

    [Fact]
    public void Plan_text_view_in_colour_is_the_plain_view_plus_ansi_codes()
    {
        var sink = new StringWriter();
        using (var writer = new InertTextWriter(sink)) writer.Write(PlanTextView.Render(Plan, new Styles(true)));
        var colour = sink.ToString();

        Assert.Contains("\u001b[32m", colour);
        Assert.Equal(PlanTextView.Render(Plan, Styles.Plain), Regex.Replace(colour, "\u001b\\[[0-9;]*m", ""));
    }

    [Fact]
    public async Task Plan_json_with_every_action_validates_against_the_published_schema()
    {
        var errors = (await Schema()).Validate(PlanJsonView.Render(Plan, SamplePlans.GeneratedAt));

        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Fact]
    public async Task Empty_plan_json_validates_against_the_published_schema()
    {
        var errors = (await Schema()).Validate(PlanJsonView.Render(SamplePlans.Empty(), SamplePlans.GeneratedAt));

        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Theory]
    [InlineData("\"action\": \"update\"", "\"action\": \"modify\"")]
    [InlineData("\"sensitive\": true", "\"sensitive\": true, \"value\": \"x\"")]
    [InlineData("\"hosts_unreachable\": 1", "\"hosts_unreachable\": -1")]
    [InlineData("\"status\": \"unreachable\"", "\"status\": \"down\"")]
    public async Task Schema_validation_rejects_a_plan_document_that_breaks_the_format(string from, string to)
    {
        // Guards the validation above: the schema and validator do catch a document that is wrong.
        var json = PlanJsonView.Render(Plan, SamplePlans.GeneratedAt);
        Assert.Contains(from, json);

        var errors = (await Schema()).Validate(json.Replace(from, to));

        Assert.NotEmpty(errors);
    }

    private static Task<JsonSchema> Schema() =>
        JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "schemas", "plan.schema.json"));
}
