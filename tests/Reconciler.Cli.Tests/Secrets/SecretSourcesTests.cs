using Reconciler.Cli.Secrets;

namespace Reconciler.Cli.Tests.Secrets;

/// <summary>Secrets come from RECONCILER_SECRET_* variables first, then from the file RECONCILER_SECRETS_FILE names.</summary>
public sealed class SecretSourcesTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "reconciler-secrets-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void The_environment_wins_over_the_file_and_the_file_fills_the_rest()
    {
        File.WriteAllText(_file, "# mail host\nmail_db_password=from-file=with-equals\n\nalice_password=alice-file\n");
        var environment = new Dictionary<string, string>
        {
            ["RECONCILER_SECRETS_FILE"] = _file,
            ["RECONCILER_SECRET_ALICE_PASSWORD"] = "alice-env",
        };

        var (store, error) = SecretSources.Open(name => environment.GetValueOrDefault(name));

        Assert.Null(error);
        Assert.True(store!.TryGet("mail_db_password", out var db));
        Assert.Equal("from-file=with-equals", db);
        Assert.True(store.TryGet("alice_password", out var alice));
        Assert.Equal("alice-env", alice);
        Assert.False(store.TryGet("bob_password", out _));
        Assert.Equal(["from-file=with-equals", "alice-env"], store.ResolvedValues);
    }

    [Fact]
    public void A_malformed_line_is_reported_by_number_without_quoting_it()
    {
        File.WriteAllText(_file, "ok=1\nBad Name=hunter2-leaked\n");

        var (store, error) = SecretSources.Open(name => name == "RECONCILER_SECRETS_FILE" ? _file : null);

        Assert.Null(store);
        Assert.Contains("line 2", error);
        Assert.DoesNotContain("hunter2", error);
    }

    [Fact]
    public void A_missing_file_is_a_one_line_error()
    {
        var (store, error) = SecretSources.Open(name => name == "RECONCILER_SECRETS_FILE" ? _file : null);

        Assert.Null(store);
        Assert.StartsWith(_file + ": cannot read the secret file", error);
        Assert.DoesNotContain("\n", error);
    }

    [Fact]
    public void A_secret_file_inside_the_specs_repository_is_refused_and_one_outside_is_not()
    {
        var repository = Directory.CreateTempSubdirectory("reconciler-repo-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(repository, ".git"));
            Directory.CreateDirectory(Path.Combine(repository, "specs"));
            var specs = Path.Combine(repository, "specs");

            Assert.Contains("inside the repository", new SecretFile(Path.Combine(repository, "secrets.env")).InsideRepositoryProblem(specs));
            Assert.Null(new SecretFile(_file).InsideRepositoryProblem(specs));
            Assert.Null(new SecretFile(null).InsideRepositoryProblem(specs));
        }
        finally
        {
            Directory.Delete(repository, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_secret_file_others_can_read_gets_a_warning()
    {
        File.WriteAllText(_file, "a=1\n");
        File.SetUnixFileMode(_file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.Contains("chmod 600", new SecretFile(_file).PermissionWarning());

        File.SetUnixFileMode(_file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Null(new SecretFile(_file).PermissionWarning());
    }
}
