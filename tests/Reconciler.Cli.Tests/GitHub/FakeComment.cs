namespace Reconciler.Cli.Tests.GitHub;

/// <summary>A comment as the stand-in GitHub holds it; <see cref="Edits"/> counts PATCHes.</summary>
public sealed class FakeComment(long id)
{
    public long Id { get; } = id;
    public string Body { get; set; } = "";
    public int Edits { get; set; }
}
