using Reconciler.Cli.Tests.Views;

namespace Reconciler.Cli.Tests.Composition;

/// <summary>
/// Issue 21: each command's --help is a reviewed snapshot (Views/Approved/help.COMMAND.txt), so an option renamed,
/// dropped or described differently shows up in review, and the README's command list can be checked against it.
/// </summary>
public sealed class HelpSnapshotTests
{
    public static TheoryData<string> Commands => ["", "validate", "plan", "apply", "drift", "merge", "watch", "schemas", "explain", "host-key", "unlock", "secrets"];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_matches_the_approved_snapshot(string command)
    {
        var output = new StringWriter();
        string[] args = command.Length == 0 ? ["--help"] : [command, "--help"];

        var exit = await App.RunAsync(args, new Terminal(output, output, false, false), null, default, _ => null, []);

        Assert.Equal(0, exit);
        // The usage line names the running executable: the test host here, reconciler for a user.
        Approvals.Verify(output.ToString().Replace("testhost", "reconciler", StringComparison.Ordinal), command.Length == 0 ? "help" : $"help.{command}");
    }
}
