using Reconciler.Cli;
using Reconciler.Cli.Secrets;
using Reconciler.Tests.Shared;

namespace Reconciler.Cli.Tests.Secrets;

/// <summary>
/// validate --secrets-by-name: a fork's pull request gets no secret values, yet its specs (the tests' sample specs here,
/// which name three secrets in YAML and one in a template) are validated, and a declared list still refuses unknown names.
/// </summary>
public sealed class SecretsByNameTests
{
    private static readonly string RepositorySpecs = TestRepository.SampleSpecs;

    [Fact]
    public async Task Without_secret_values_the_repository_specs_validate_by_name_only()
    {
        var plain = await Validate(NoEnvironment, "validate", "--specs", RepositorySpecs);
        var byName = await Validate(NoEnvironment, "validate", "--secrets-by-name", "--specs", RepositorySpecs);

        // The specs do reference secrets: without the mode the same run fails on each of them.
        Assert.Equal(1, plain.Exit);
        Assert.Contains("error RC3013: secret 'mail_db_password' is not set", plain.Output);
        Assert.Contains("error RC3013: secret 'bob_password' is not set", plain.Output);
        Assert.True(byName.Exit == 0, byName.Output);
        Assert.Contains("Specs valid:", byName.Output);
        Assert.Contains("checked by name only", byName.Output);
        Assert.DoesNotContain("error", byName.Output);
    }

    [Fact]
    public async Task A_declared_list_of_names_still_refuses_a_name_it_does_not_list_at_its_line()
    {
        var environment = new Dictionary<string, string> { [SecretNamesOnly.NamesVariable] = "mail_db_password, alice_password, dkim_tsig" };

        var run = await Validate(environment, "validate", "--secrets-by-name", "--specs", RepositorySpecs);

        Assert.Equal(1, run.Exit);
        var errors = run.Output.Split('\n').Where(l => l.Contains(": error ", StringComparison.Ordinal)).ToList();
        var error = Assert.Single(errors);
        Assert.Matches(@"specs/mail/10-mailbox-db\.yaml:69:\d+: error RC3013: secret 'bob_password' is not set", error);
    }

    [Fact]
    public async Task A_malformed_declared_name_is_a_one_line_error_before_any_spec_is_read()
    {
        var environment = new Dictionary<string, string> { [SecretNamesOnly.NamesVariable] = "mail_db_password Bob-Password" };

        var run = await Validate(environment, "validate", "--secrets-by-name", "--specs", RepositorySpecs);

        Assert.Equal(1, run.Exit);
        Assert.Equal("error: RECONCILER_SECRET_NAMES: 'Bob-Password' is not a secret name (lower-case letters, digits and '_', starting with a letter)", run.Output.Trim());
    }

    [Fact]
    public void By_name_no_value_is_read_even_when_one_is_in_the_environment()
    {
        var (store, error) = SecretNamesOnly.Open(name => name == "RECONCILER_SECRET_MAIL_DB_PASSWORD" ? "the-real-password" : null);

        Assert.Null(error);
        Assert.True(store!.TryGet("mail_db_password", out var value));
        Assert.Equal("secret-checked-by-name-only:mail_db_password", value);
        Assert.DoesNotContain("the-real-password", store.ResolvedValues);
    }

    [Fact]
    public void Without_a_declared_list_every_well_formed_name_is_known_and_with_one_only_the_listed_names()
    {
        var (open, _) = SecretNamesOnly.Open(_ => null);
        var (declared, _) = SecretNamesOnly.Open(name => name == SecretNamesOnly.NamesVariable ? "a_one\nb_two" : null);

        Assert.True(open!.TryGet("anything_at_all", out _));
        Assert.True(declared!.TryGet("b_two", out _));
        Assert.False(declared.TryGet("anything_at_all", out _));
    }

    private static readonly Dictionary<string, string> NoEnvironment = [];

    private static async Task<(int Exit, string Output)> Validate(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var output = new StringWriter();
        var exit = await App.RunAsync(args, new Terminal(output, output, false, false), null, default,
            name => environment.TryGetValue(name, out var value) ? value : null);
        return (exit, output.ToString());
    }
}
