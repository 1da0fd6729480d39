using Reconciler.Integration.Tests.Support;
using Reconciler.Tests.Shared;
using YamlDotNet.RepresentationModel;

namespace Reconciler.Integration.Tests.Installing;

/// <summary>
/// Issue 22, item 5c: the scripts of the reusable action (action.yml), run as a GitHub runner runs a composite step
/// (<c>bash --noprofile --norc -eo pipefail</c>, inputs as the step's env, GITHUB_PATH and GITHUB_OUTPUT files): the
/// install step puts the packed tool on the PATH, the run step runs it with one argument per line of <c>args</c>, and an
/// input that looks like a command stays a plain argument.
/// </summary>
[Collection(InstallingCollection.Name)]
public sealed class ActionStepsTests(PackedTool packed)
{
    private static readonly YamlMappingNode Action = Parse(File.ReadAllText(Path.Combine(TestRepository.Root, "action.yml")));

    [Fact]
    public async Task The_action_installs_the_tool_and_runs_validate_with_the_arguments_one_per_line()
    {
        var runner = new Runner(packed);
        await runner.StepAsync("Install reconciler", new() { ["VERSION"] = packed.Version, ["SOURCE"] = packed.Packages, ["ACTION_PATH"] = TestRepository.Root });
        Assert.Equal(Path.Combine(runner.Temp, "reconciler-action"), (await File.ReadAllTextAsync(runner.PathFile)).Trim());

        var run = await runner.StepAsync("Run reconciler", Inputs("validate", TestRepository.SampleSpecs, "--secrets-by-name\n"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(await SampleValidation.ExpectedStdoutAsync(), run.Stdout);
        Assert.Equal("exit-code=0", (await File.ReadAllTextAsync(runner.OutputFile)).Trim());
    }

    [Fact]
    public async Task An_input_that_looks_like_a_command_is_an_argument_and_an_error_fails_the_step_with_its_exit_code()
    {
        var runner = new Runner(packed);
        await runner.StepAsync("Install reconciler", new() { ["VERSION"] = packed.Version, ["SOURCE"] = packed.Packages, ["ACTION_PATH"] = TestRepository.Root });
        var witness = Path.Combine(runner.Temp, "ran");

        var run = await runner.StepAsync("Run reconciler", Inputs("validate", $"$(touch {witness})", $"--secrets-by-name\n`touch {witness}`; touch {witness}"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("exit-code=1", (await File.ReadAllTextAsync(runner.OutputFile)).Trim());
        Assert.False(File.Exists(witness), "an input ran as a command:\n" + run);
    }

    private static Dictionary<string, string> Inputs(string command, string specs, string args) => new()
    {
        ["COMMAND"] = command, ["SPECS"] = specs, ["ARGS"] = args, ["CHANGES_ARE_SUCCESS"] = "true",
    };

    private static YamlMappingNode Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string Script(string stepName)
    {
        var steps = (YamlSequenceNode)((YamlMappingNode)Action.Children[new YamlScalarNode("runs")]).Children[new YamlScalarNode("steps")];
        var step = steps.Children.OfType<YamlMappingNode>().Single(s => s.Children.TryGetValue(new YamlScalarNode("name"), out var n) && ((YamlScalarNode)n).Value == stepName);
        return ((YamlScalarNode)step.Children[new YamlScalarNode("run")]).Value!;
    }

    /// <summary>
    /// One job's runner: its RUNNER_TEMP, the PATH additions and step outputs as files, and a working directory whose
    /// nuget.config knows the local package folder alone (so the install reaches no feed).
    /// </summary>
    private sealed class Runner(PackedTool packed)
    {
        public string Temp { get; } = packed.NewDirectory("runner-" + Guid.NewGuid().ToString("N"));

        public string PathFile => Path.Combine(Temp, "github_path");

        public string OutputFile => Path.Combine(Temp, "github_output");

        public async Task<ChildProcess> StepAsync(string name, Dictionary<string, string> env)
        {
            var script = Path.Combine(Temp, "step.sh");
            await File.WriteAllTextAsync(script, Script(name));
            File.Delete(OutputFile);
            var added = File.Exists(PathFile) ? File.ReadAllLines(PathFile).Where(l => l.Length > 0) : [];
            env["PATH"] = string.Join(':', added.Append(Environment.GetEnvironmentVariable("PATH")));
            env["RUNNER_TEMP"] = Temp;
            env["GITHUB_PATH"] = PathFile;
            env["GITHUB_OUTPUT"] = OutputFile;
            var work = Path.GetDirectoryName(packed.LocalOnlyNuGetConfig)!;
            return await ChildProcess.RunAsync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], env, work);
        }
    }
}
