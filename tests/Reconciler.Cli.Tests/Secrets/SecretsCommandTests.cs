using Reconciler.Tests.Shared;

namespace Reconciler.Cli.Tests.Secrets;

/// <summary>
/// Issue 21: <c>reconciler secrets</c> lists the secret names the specs reference (in YAML and in templates), reading no
/// value, and with --workflow-env prints the env lines a GitHub workflow needs, so a set-up is made from the specs.
/// </summary>
public sealed class SecretsCommandTests : IDisposable
{
    private const string Inventory = "kind: inventory\nhosts:\n  web1:\n    address: 192.0.2.1\n    identity_file: ~/.ssh/id_ed25519\n    host_key: \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEJtUxuTy1r6MvOdi/hrxqJP1BUicmr5R1J+UvnLsnqs\"\n";

    private readonly string _specs = Directory.CreateTempSubdirectory("reconciler-secrets-cmd-").FullName;

    public void Dispose() => Directory.Delete(_specs, recursive: true);

    [Fact]
    public async Task The_sample_specs_name_four_secrets_listed_once_each_in_order_without_any_value_set()
    {
        var run = await Run("secrets", "--specs", TestRepository.SampleSpecs);

        Assert.True(run.Exit == 0, run.Output);
        Assert.Equal("alice_password\nbob_password\ndkim_tsig\nmail_db_password\n", run.Output);
    }

    [Fact]
    public async Task With_workflow_env_it_prints_each_secret_from_the_github_secret_and_the_names_for_validate()
    {
        var run = await Run("secrets", "--workflow-env", "--specs", TestRepository.SampleSpecs);

        Assert.True(run.Exit == 0, run.Output);
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("RECONCILER_SECRET_MAIL_DB_PASSWORD: ${{ secrets.MAIL_DB_PASSWORD }}", lines);
        Assert.Contains("RECONCILER_SECRET_DKIM_TSIG: ${{ secrets.DKIM_TSIG }}", lines);
        Assert.Contains("RECONCILER_SECRET_NAMES: alice_password bob_password dkim_tsig mail_db_password", lines);
        Assert.Equal(4, lines.Count(l => l.StartsWith("RECONCILER_SECRET_", StringComparison.Ordinal) && l.Contains("${{ secrets.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_secret_only_a_template_reads_is_listed_and_a_value_in_the_environment_is_never_printed()
    {
        Write("inventory.yaml", Inventory);
        Write("app.yaml", "kind: resources\ntarget: { host: web1 }\nfiles:\n  - path: /etc/app.conf\n    template: app.conf.sbn\n");
        Write("app.conf.sbn", "token={{ secret \"api_token\" }}\n");

        var run = await Run(new Dictionary<string, string> { ["RECONCILER_SECRET_API_TOKEN"] = "the-real-token" }, "secrets", "--workflow-env", "--specs", _specs);

        Assert.True(run.Exit == 0, run.Output);
        Assert.Contains("RECONCILER_SECRET_API_TOKEN: ${{ secrets.API_TOKEN }}", run.Output);
        Assert.Contains("RECONCILER_SECRET_NAMES: api_token", run.Output);
        Assert.DoesNotContain("the-real-token", run.Output);
    }

    [Fact]
    public async Task Specs_without_secrets_say_so_and_invalid_specs_fail_at_their_line()
    {
        Write("inventory.yaml", Inventory);
        var none = await Run("secrets", "--specs", _specs);
        Assert.Equal((0, "The specs reference no secret.\n"), none);

        Write("bad.yaml", "kind: resources\ntarget: { host: web9 }\n");
        var bad = await Run("secrets", "--specs", _specs);
        Assert.Equal(1, bad.Exit);
        Assert.Matches(@"bad\.yaml:2:\d+: error RC\d+: .*web9", bad.Output);
    }

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_specs, name), text);

    private static Task<(int Exit, string Output)> Run(params string[] args) => Run([], args);

    private static async Task<(int Exit, string Output)> Run(Dictionary<string, string> environment, params string[] args)
    {
        var output = new StringWriter();
        var exit = await App.RunAsync(args, new Terminal(output, output, false, false), null, default,
            name => environment.GetValueOrDefault(name), environment.Keys);
        return (exit, output.ToString());
    }
}
