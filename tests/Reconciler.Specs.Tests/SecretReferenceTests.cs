using Reconciler.Core.Diagnostics;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Secrets;

namespace Reconciler.Specs.Tests;

/// <summary>Templates name secrets with <c>secret "NAME"</c>; the value comes from the run's secret store, never the repo.</summary>
public sealed class SecretReferenceTests
{
    private const string Resources = """
        kind: resources
        target: { group: all }
        files:
          - path: /etc/app/db.conf
            template: db.conf.sbn
        """;

    private static SpecDirectory Specs(string template) => new SpecDirectory()
        .WithDefaultInventory()
        .Write("files.yaml", Resources)
        .Write("db.conf.sbn", template);

    [Fact]
    public void A_template_renders_the_secret_and_the_file_becomes_sensitive()
    {
        using var dir = Specs("user = app\npassword = {{ secret \"db_password\" }}\n");
        var secrets = new SecretStore(new Dictionary<string, string> { ["db_password"] = "s3cr3t-9f1e" });

        var result = new SpecLoader(secrets).Load(dir.Root);

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var file = result.State!.Hosts.SelectMany(h => h.Resources).OfType<FileResource>().First();
        Assert.Equal("user = app\npassword = s3cr3t-9f1e\n", file.Content);
        Assert.True(file.Sensitive);
        Assert.Equal(["s3cr3t-9f1e"], secrets.ResolvedValues);
    }

    [Fact]
    public void A_secret_that_is_not_set_is_an_error_at_its_line_naming_where_to_set_it()
    {
        using var dir = Specs("user = app\npassword = {{ secret \"db_password\" }}\n");

        var result = new SpecLoader(SecretStore.Empty).Load(dir.Root);

        var error = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(DiagnosticCodes.SecretNotSet, error.Code);
        Assert.Equal((dir.Path("db.conf.sbn"), 2), (error.Location.File, error.Location.Line));
        Assert.Contains("RECONCILER_SECRET_DB_PASSWORD", error.Message);
        Assert.Null(result.State);
    }

    [Fact]
    public void A_computed_secret_name_is_refused()
    {
        using var dir = Specs("{{ name = \"db_password\" }}password = {{ secret name }}\n");

        var result = new SpecLoader(new SecretStore(new Dictionary<string, string> { ["db_password"] = "x" })).Load(dir.Root);

        var error = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(DiagnosticCodes.TemplateSyntax, error.Code);
        Assert.Contains("literal name", error.Message);
    }

    [Fact]
    public void A_file_that_names_no_secret_keeps_its_own_sensitivity()
    {
        using var dir = Specs("user = app\n");

        var result = new SpecLoader(SecretStore.Empty).Load(dir.Root);

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.False(result.State!.Hosts.SelectMany(h => h.Resources).OfType<FileResource>().First().Sensitive);
    }
}
