using YamlDotNet.RepresentationModel;

namespace Reconciler.Specs.Tests.Workflows;

/// <summary>A GitHub Actions workflow as the trust checks read it: its triggers, its jobs and their steps, and its text.</summary>
internal sealed record WorkflowFile(string Name, string Text, YamlMappingNode Root)
{
    public static WorkflowFile Parse(string name, string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return new WorkflowFile(name, text, (YamlMappingNode)stream.Documents[0].RootNode);
    }

    public static WorkflowFile Read(string path) => Parse(Path.GetFileName(path), File.ReadAllText(path));

    /// <summary>The events that start it: <c>on: x</c>, <c>on: [x, y]</c> or <c>on: { x: ... }</c>.</summary>
    public IReadOnlyList<string> Triggers => Root.Child("on") switch
    {
        YamlScalarNode scalar => [scalar.Value ?? ""],
        YamlSequenceNode sequence => sequence.Children.Select(c => c.Scalar() ?? "").ToList(),
        YamlMappingNode mapping => mapping.Children.Keys.Select(k => k.Scalar() ?? "").ToList(),
        _ => [],
    };

    public bool RunsForPullRequests => Triggers.Any(t => t is "pull_request" or "pull_request_target");

    public IReadOnlyList<WorkflowJob> Jobs => Root.Child("jobs") is YamlMappingNode jobs
        ? jobs.Children.Select(j => new WorkflowJob(j.Key.Scalar() ?? "", (YamlMappingNode)j.Value)).ToList()
        : [];

    public WorkflowJob Job(string name) => Jobs.Single(j => j.Name == name);
}

internal sealed record WorkflowJob(string Name, YamlMappingNode Node)
{
    public IReadOnlyList<WorkflowStep> Steps => Node.Child("steps") is YamlSequenceNode steps
        ? steps.Children.Select((s, i) => new WorkflowStep(i + 1, (YamlMappingNode)s)).ToList()
        : [];

    /// <summary><c>environment: NAME</c> or <c>environment: { name: NAME }</c>; null without one.</summary>
    public string? Environment => Node.Child("environment") switch
    {
        YamlScalarNode scalar => scalar.Value,
        YamlMappingNode mapping => mapping.Child("name").Scalar(),
        _ => null,
    };

    public YamlNode? Permissions => Node.Child("permissions");

    /// <summary>Every scalar in the job (keys and values): where an expression such as <c>secrets.X</c> could hide.</summary>
    public IEnumerable<string> Scalars => Node.AllNodes.OfType<YamlScalarNode>().Select(s => s.Value ?? "");

    public string? EnvironmentVariable(string name) => (Node.Child("env") as YamlMappingNode)?.Child(name).Scalar();

    /// <summary>The names of the job-level <c>env:</c> variables.</summary>
    public IReadOnlyList<string> EnvironmentVariableNames =>
        (Node.Child("env") as YamlMappingNode)?.Children.Keys.Select(k => k.Scalar() ?? "").ToList() ?? [];
}

internal sealed record WorkflowStep(int Number, YamlMappingNode Node)
{
    public string? Uses => Node.Child("uses").Scalar();

    public string? Run => Node.Child("run").Scalar();

    public string? With(string key) => (Node.Child("with") as YamlMappingNode)?.Child(key).Scalar();

    public string? WorkingDirectory => Node.Child("working-directory").Scalar();

    public bool IsCheckout => Uses?.StartsWith("actions/checkout@", StringComparison.Ordinal) == true;

    public string Describe => Node.Child("name").Scalar() is { } name ? $"step {Number} ({name})" : $"step {Number}";
}

internal static class YamlNodes
{
    public static YamlNode? Child(this YamlNode? node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    public static string? Scalar(this YamlNode? node) => (node as YamlScalarNode)?.Value;
}
