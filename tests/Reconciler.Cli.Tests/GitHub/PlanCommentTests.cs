using Reconciler.Cli;
using Reconciler.Cli.Features;
using Reconciler.Cli.GitHubActions;
using Reconciler.Cli.Redaction;
using Reconciler.Cli.Views;
using Reconciler.Cli.Tests.Views;

namespace Reconciler.Cli.Tests.GitHub;

/// <summary>The plan comment against the stand-in GitHub: one comment per pull request, edited in place.</summary>
public sealed class PlanCommentTests
{
    [Fact]
    public async Task First_plan_creates_the_comment_and_the_next_plan_edits_it_never_duplicating()
    {
        await using var server = new FakeGitHubServer();
        var github = GitHubTestSupport.Client(server);
        server.Comments[7] = [new FakeComment(1) { Body = "LGTM from a person" }];

        var (first, created) = await PullRequestComment.UpsertAsync(github, 7, PlanCommentView.Render(SamplePlans.AllActions()), default);
        var (second, createdAgain) = await PullRequestComment.UpsertAsync(github, 7, PlanCommentView.Render(SamplePlans.Empty()), default);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first.Id, second.Id);
        var comments = server.CommentsOn(7);
        Assert.Equal(2, comments.Count); // the person's comment and exactly one plan comment
        var plan = Assert.Single(comments, c => c.Body.Contains(PlanCommentView.Marker));
        Assert.Equal(1, plan.Edits);
        Assert.Contains("Plan: 0 to create", plan.Body);
        Assert.Equal("LGTM from a person", comments[0].Body);
    }

    [Fact]
    public async Task Publisher_writes_the_step_summary_and_takes_the_pull_request_from_the_event()
    {
        await using var server = new FakeGitHubServer();
        var summary = Path.GetTempFileName();
        try
        {
            var redaction = GitHubTestSupport.Redaction(SamplePlans.Secret);
            var output = new StringWriter();
            var publisher = new PlanPublisher(GitHubTestSupport.Context(server, summary, eventPr: 12), new GitHubConnector(redaction), new OutputFiles(redaction),
                new Terminal(output, output, false, false));

            Assert.True(await publisher.PublishAsync(SamplePlans.AllActions(), comment: true, pullRequest: null, default));

            Assert.Single(server.CommentsOn(12));
            Assert.Contains("## Reconciler plan", await File.ReadAllTextAsync(summary));
            Assert.DoesNotContain(PlanCommentView.Marker, await File.ReadAllTextAsync(summary));
            Assert.Contains("posted on pull request #12", output.ToString());
        }
        finally
        {
            File.Delete(summary);
        }
    }

    [Fact]
    public async Task Publisher_without_a_pull_request_number_says_so_and_posts_nothing()
    {
        await using var server = new FakeGitHubServer();
        var redaction = GitHubTestSupport.Redaction();
        var output = new StringWriter();
        var publisher = new PlanPublisher(GitHubTestSupport.Context(server), new GitHubConnector(redaction), new OutputFiles(redaction), new Terminal(output, output, false, false));

        Assert.False(await publisher.PublishAsync(SamplePlans.AllActions(), comment: true, pullRequest: null, default));

        Assert.Empty(server.Requests);
        Assert.Contains("--pr N", output.ToString());
    }

    [Fact]
    public async Task Every_request_carries_the_token_and_no_body_carries_the_secret()
    {
        await using var server = new FakeGitHubServer();
        var github = GitHubTestSupport.Client(server, GitHubTestSupport.Redaction(SamplePlans.Secret));

        // Even a body that names the secret outright (a view bug) leaves the process masked.
        await github.CreateCommentAsync(3, $"{PlanCommentView.Marker} oops {SamplePlans.Secret}", default);

        Assert.All(server.Requests, r => Assert.Equal("Bearer test-token", r.Authorization));
        Assert.DoesNotContain(server.Requests, r => r.Body.Contains(SamplePlans.Secret));
        Assert.Contains("(sensitive value)", server.CommentsOn(3)[0].Body);
    }

    [Fact]
    public async Task A_GitHub_error_becomes_a_message_naming_the_call_and_status()
    {
        await using var server = new FakeGitHubServer();
        var github = GitHubTestSupport.Client(server);

        var error = await Assert.ThrowsAsync<Reconciler.GitHub.GitHubApiException>(() => github.UpdateCommentAsync(424242, "x", default));

        Assert.Contains("PATCH /repos/acme/infra/issues/comments/424242: 404", error.Message);
        Assert.DoesNotContain("test-token", error.Message);
    }
}
