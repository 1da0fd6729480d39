using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests.Installing;

/// <summary>
/// What every installable form is tried with: <c>validate</c> of the tests' sample specs, secret references checked by
/// name (as the plan workflow's validate job does, with no secret at hand). The expected output is not written down
/// here but taken from the CLI of this build run in-process, so an installed form must say exactly what the build says.
/// </summary>
internal static class SampleValidation
{
    public static string[] Arguments(string specs) => ["validate", "--secrets-by-name", "--specs", specs];

    public static async Task<string> ExpectedStdoutAsync()
    {
        var inProcess = await CliRun.ExecAsync(Arguments(Reconciler.Tests.Shared.TestRepository.SampleSpecs));
        Assert.True(inProcess.ExitCode == 0, inProcess.ToString());
        Assert.Contains("Specs valid: ", inProcess.Stdout);
        return inProcess.Stdout;
    }
}
