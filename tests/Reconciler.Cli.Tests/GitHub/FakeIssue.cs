namespace Reconciler.Cli.Tests.GitHub;

/// <summary>An issue as the stand-in GitHub holds it; <see cref="Edits"/> counts PATCHes.</summary>
public sealed class FakeIssue(int number)
{
    public int Number { get; } = number;
    public string Title { get; set; } = "";
    public string Body { get; set; } = "";
    public string State { get; set; } = "open";
    public List<string> Labels { get; set; } = [];
    public int Edits { get; set; }
}
