using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Reconciler.Specs.Tests.Workflows;

/// <summary>
/// The rules that keep a pull request's code away from the secrets (issue 9, item 1), as checks over a parsed
/// workflow. Each returns the violations it finds, one readable line each, so a failing test says what broke where.
/// </summary>
internal static partial class TrustBoundary
{
    /// <summary>Programs that build or run code of the directory they are pointed at (or of their working directory).</summary>
    private static readonly HashSet<string> BuildTools = new(StringComparer.Ordinal)
    {
        "dotnet", "msbuild", "nuget", "npm", "npx", "yarn", "pnpm", "node", "make", "cmake", "mvn", "gradle", "pip", "pip3",
        "python", "python3", "go", "cargo", "docker", "bundle", "rake", "composer",
    };

    /// <summary>Programs that execute the file named as their argument.</summary>
    private static readonly HashSet<string> Interpreters = new(StringComparer.Ordinal)
    {
        "bash", "sh", "dash", "zsh", "source", ".", "perl", "ruby", "pwsh", "php", "python", "python3", "node", "deno", "bun",
    };

    /// <summary>Every third-party action is pinned to a full commit SHA, and says which version that is.</summary>
    public static IEnumerable<string> UnpinnedActions(WorkflowFile workflow)
    {
        foreach (var job in workflow.Jobs)
        {
            var uses = job.Steps.Select(s => (Where: s.Describe, s.Uses)).Append(("the job itself", job.Node.Child("uses").Scalar()));
            foreach (var (where, action) in uses)
            {
                if (action is null || action.StartsWith("./", StringComparison.Ordinal) || action.StartsWith("docker://", StringComparison.Ordinal))
                {
                    continue;
                }

                if (!PinnedAction().IsMatch(action))
                {
                    yield return $"{workflow.Name}: job {job.Name}, {where}: {action} is not pinned to a full commit SHA";
                }
            }
        }

        foreach (var line in workflow.Text.Split('\n').Where(l => UsesLine().IsMatch(l) && !l.Contains("uses: ./", StringComparison.Ordinal)))
        {
            if (!VersionComment().IsMatch(line))
            {
                yield return $"{workflow.Name}: '{line.Trim()}' does not say which version the pin is (# vX.Y.Z)";
            }
        }
    }

    /// <summary>No token permission by default; each job asks for what it needs.</summary>
    public static IEnumerable<string> BroadPermissions(WorkflowFile workflow)
    {
        if (workflow.Root.Child("permissions") is not YamlMappingNode { Children.Count: 0 })
        {
            yield return $"{workflow.Name}: the workflow's permissions must be {{}}, so that each job names only what it needs";
        }

        foreach (var job in workflow.Jobs.Where(j => j.Permissions is null))
        {
            yield return $"{workflow.Name}: job {job.Name} declares no permissions";
        }
    }

    /// <summary>A job that names a secret enters a GitHub environment, where protection rules decide who gets it.</summary>
    public static IEnumerable<string> SecretsOutsideEnvironments(WorkflowFile workflow)
    {
        if (NamesSecret(workflow.Root.Child("env")))
        {
            yield return $"{workflow.Name}: the workflow's env names a secret, so every job gets it";
        }

        foreach (var job in workflow.Jobs.Where(j => j.Environment is null && j.Scalars.Any(NamesSecret)))
        {
            yield return $"{workflow.Name}: job {job.Name} names a secret but enters no environment";
        }
    }

    /// <summary>Jobs that see no secret at all: no secret, no token expression, no environment.</summary>
    public static IEnumerable<string> SecretsIn(WorkflowFile workflow, WorkflowJob job)
    {
        if (job.Environment is not null)
        {
            yield return $"{workflow.Name}: job {job.Name} enters the environment {job.Environment}, and with it its secrets";
        }

        foreach (var value in job.Scalars.Where(v => NamesSecret(v) || v.Contains("secrets.GITHUB_TOKEN", StringComparison.Ordinal) || v.Contains("github.token", StringComparison.Ordinal)))
        {
            yield return $"{workflow.Name}: job {job.Name} is given a secret or token: {value.Trim()}";
        }

        if (NamesSecret(workflow.Root.Child("env")))
        {
            yield return $"{workflow.Name}: the workflow's env names a secret, which job {job.Name} gets too";
        }
    }

    /// <summary>
    /// A workflow that pull requests start never runs the pull request's code where a secret is: the head is checked
    /// out as data only, into its own directory and without credentials, and nothing is built, run or sourced after it
    /// arrives (the build of the base branch comes first), nor does any step run inside it.
    /// </summary>
    public static IEnumerable<string> HeadExecution(WorkflowFile workflow)
    {
        var holdsSecrets = workflow.Jobs.Any(j => j.Scalars.Any(NamesSecret));
        // ci.yml runs the pull request's own code on pull_request by design: with no secret and a read-only token there
        // is nothing to take. pull_request_target always counts: its token can write and its caches are the base's.
        if (!workflow.RunsForPullRequests || (!holdsSecrets && !workflow.Triggers.Contains("pull_request_target")))
        {
            yield break;
        }

        if (holdsSecrets && workflow.Triggers.Contains("pull_request"))
        {
            yield return $"{workflow.Name}: runs on pull_request with secrets: the pull request's own workflow file and code run with them (use pull_request_target)";
        }

        var workflowDefault = workflow.Root.Child("defaults").Child("run").Child("working-directory").Scalar();
        foreach (var job in workflow.Jobs)
        {
            string? head = null; // where the head is once checked out: "" for the workspace root
            var jobDefault = job.Node.Child("defaults").Child("run").Child("working-directory").Scalar() ?? workflowDefault;
            foreach (var step in job.Steps)
            {
                var where = $"{workflow.Name}: job {job.Name}, {step.Describe}";
                if (step.IsCheckout && ChecksOutHead(workflow, step))
                {
                    head = Normalize(step.With("path"));
                    if (head.Length == 0)
                    {
                        yield return $"{where}: checks the pull request's head out into the workspace root, where the workflow's own steps run";
                    }

                    if (step.With("persist-credentials") != "false")
                    {
                        yield return $"{where}: checks the pull request's head out without persist-credentials: false, leaving the token in its .git/config";
                    }

                    continue;
                }

                if (head is null)
                {
                    continue;
                }

                if (step.Uses is { } uses && uses.StartsWith("./", StringComparison.Ordinal))
                {
                    yield return $"{where}: runs the local action {uses} after the head was checked out";
                }

                if (step.Run is not { } script)
                {
                    continue;
                }

                var directory = step.WorkingDirectory ?? jobDefault;
                if (head.Length == 0 || (directory is not null && IsInside(head, directory)))
                {
                    yield return $"{where}: runs inside the pull request's head checkout ({(head.Length == 0 ? "the workspace root" : head)})";
                }

                foreach (var command in ShellCommands.Of(script))
                {
                    var program = command[0];
                    if (IsInside(head, program))
                    {
                        yield return $"{where}: executes {program} from the pull request's head";
                    }
                    else if (BuildTools.Contains(program))
                    {
                        yield return $"{where}: runs {string.Join(' ', command.Take(2))} after the pull request's head was checked out (build first, then fetch the data)";
                    }
                    else if (program is "cd" or "pushd" && command.Skip(1).FirstOrDefault(a => !a.StartsWith('-')) is { } target && IsInside(head, target))
                    {
                        yield return $"{where}: changes into the pull request's head checkout ({target}); the reconciler reads appsettings.json from its working directory";
                    }
                    else if (Interpreters.Contains(program) && command.Skip(1).FirstOrDefault(a => !a.StartsWith('-')) is { } file && IsInside(head, file))
                    {
                        yield return $"{where}: runs {program} {file}, a script from the pull request's head";
                    }
                }
            }
        }
    }

    /// <summary>
    /// The reusable action (action.yml) widens no job's reach: it is composite, names no secret and takes no token of
    /// its own (what reconciler gets is what the calling job or step put in its env), every action it uses is pinned, and
    /// no input is spliced into a script (inputs reach the shell as environment variables, so an argument cannot run a
    /// command of its own).
    /// </summary>
    public static IEnumerable<string> ActionReach(string name, YamlMappingNode action)
    {
        var runs = action.Child("runs");
        if (runs.Child("using").Scalar() != "composite")
        {
            yield return $"{name}: runs.using is not composite";
        }

        foreach (var value in action.AllNodes.OfType<YamlScalarNode>().Select(s => s.Value ?? ""))
        {
            if (SecretExpression().IsMatch(value) || value.Contains("github.token", StringComparison.Ordinal) || value.Trim() == "inherit")
            {
                yield return $"{name}: takes a secret or token of its own: {value.Trim()}";
            }
        }

        var steps = runs.Child("steps") is YamlSequenceNode sequence ? sequence.Children.Select((s, i) => new WorkflowStep(i + 1, (YamlMappingNode)s)).ToList() : [];
        foreach (var step in steps)
        {
            if (step.Run is { } script && InputExpression().IsMatch(script))
            {
                yield return $"{name}: {step.Describe} splices an input into its script (pass it through env:)";
            }

            if (step.Uses is { } uses && !uses.StartsWith("./", StringComparison.Ordinal) && !PinnedAction().IsMatch(uses))
            {
                yield return $"{name}: {step.Describe}: {uses} is not pinned to a full commit SHA";
            }
        }
    }

    /// <summary>Whether a checkout brings the pull request's files: its head or merge ref, or any checkout on pull_request.</summary>
    private static bool ChecksOutHead(WorkflowFile workflow, WorkflowStep checkout)
    {
        if (workflow.Triggers.Contains("pull_request"))
        {
            return true; // the default ref is then the merge of the pull request's head
        }

        var source = (checkout.With("ref") ?? "") + " " + (checkout.With("repository") ?? "");
        return HeadReference().IsMatch(source);
    }

    private static bool NamesSecret(YamlNode? node) => node?.AllNodes.OfType<YamlScalarNode>().Any(s => NamesSecret(s.Value ?? "")) == true;

    /// <summary>A <c>secrets.X</c> expression other than GitHub's own token, whose reach the job's permissions set.</summary>
    private static bool NamesSecret(string value) => SecretExpression().Matches(value).Any(m => m.Groups[1].Value != "GITHUB_TOKEN")
        || value.Trim() == "inherit";

    private static string Normalize(string? path)
    {
        var normalized = (path ?? "").Trim();
        foreach (var prefix in new[] { "${{ github.workspace }}", "$GITHUB_WORKSPACE", "${GITHUB_WORKSPACE}" })
        {
            if (normalized.StartsWith(prefix, StringComparison.Ordinal))
            {
                normalized = normalized[prefix.Length..];
            }
        }

        while (normalized.StartsWith("./", StringComparison.Ordinal) || normalized.StartsWith('/'))
        {
            normalized = normalized.TrimStart('/');
            if (normalized.StartsWith("./", StringComparison.Ordinal)) normalized = normalized[2..];
        }

        normalized = normalized.TrimEnd('/');
        return normalized == "." ? "" : normalized;
    }

    /// <summary>Whether a path (relative to the workspace) is the head directory or below it.</summary>
    private static bool IsInside(string head, string path)
    {
        var normalized = Normalize(path);
        return head.Length > 0 && (normalized == head || normalized.StartsWith(head + "/", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")]
    private static partial Regex PinnedAction();

    [GeneratedRegex(@"^\s*(-\s+)?uses:\s*\S+@")]
    private static partial Regex UsesLine();

    [GeneratedRegex(@"@[0-9a-f]{40}\s+#\s*v\d+(\.\d+)*\s*$")]
    private static partial Regex VersionComment();

    [GeneratedRegex(@"\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex SecretExpression();

    [GeneratedRegex(@"\$\{\{[^}]*\binputs\.")]
    private static partial Regex InputExpression();

    [GeneratedRegex(@"pull_request\.head|github\.head_ref|refs/pull/|head\.repo|head\.sha|head\.ref")]
    private static partial Regex HeadReference();
}
