namespace Reconciler.Cli.Tests.Composition;

/// <summary>Issue 21: every command taking <c>--hosts</c> refuses a term that selects nothing, before contacting any host.</summary>
public sealed class HostSelectionCommandTests : IDisposable
{
    private readonly string _specs = Directory.CreateTempSubdirectory("reconciler-hosts-").FullName;

    public HostSelectionCommandTests()
    {
        // Two hosts in the documentation range, never reached: the refusal comes before any connection.
        File.WriteAllText(Path.Combine(_specs, "inventory.yaml"), """
            kind: inventory
            groups:
              web: {}
            hosts:
              web1:
                address: 192.0.2.21
                user: root
                identity_file: ~/.ssh/none
                host_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEJtUxuTy1r6MvOdi/hrxqJP1BUicmr5R1J+UvnLsnqs"
                groups: [web]
            """);
    }

    public void Dispose() => Directory.Delete(_specs, recursive: true);

    [Theory]
    [InlineData("plan")]
    [InlineData("apply")]
    [InlineData("drift")]
    public async Task A_pattern_selecting_nothing_exits_1_naming_the_known_hosts_and_groups(string command)
    {
        var output = new StringWriter();
        string[] args = command == "drift"
            ? [command, "--specs", _specs, "--hosts", "nomatch*", "--report-dir", Path.Combine(_specs, "report")]
            : command == "apply"
            ? [command, "--yes", "--specs", _specs, "--hosts", "nomatch*"]
            : [command, "--specs", _specs, "--hosts", "nomatch*"];

        var exit = await App.RunAsync(args, new Terminal(output, output, false, false), null, default, _ => null, []);

        Assert.Equal(1, exit);
        Assert.Contains("--hosts: 'nomatch*' selects no host or group (known hosts: web1; groups: web); no host was contacted.", output.ToString());
        Assert.False(Directory.Exists(Path.Combine(_specs, "report")));
    }
}
