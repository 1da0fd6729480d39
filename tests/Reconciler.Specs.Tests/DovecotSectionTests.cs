using Reconciler.Core.Diagnostics;
using Reconciler.Core.Resources.Dovecot;
using Reconciler.Core.Secrets;

namespace Reconciler.Specs.Tests;

/// <summary><c>dovecot: { files: [...], probe: {...} }</c>: files under /etc/dovecot (content or a template), a login probe.</summary>
public sealed class DovecotSectionTests : IDisposable
{
    private readonly SpecDirectory _specs = new();

    public void Dispose() => _specs.Dispose();

    private static readonly SecretStore Secrets = new(new Dictionary<string, string>
    {
        ["mail_db_password"] = "db-9d2f-secret",
        ["alice_password"] = "alice-7e1a-pass",
    });

    [Fact]
    public void The_same_path_under_files_and_dovecot_is_a_duplicate()
    {
        _specs.WithDefaultInventory()
            .Write("mail/dovecot.yaml", """
                kind: resources
                target: { host: web1 }
                files:
                  - path: /etc/dovecot/local.conf
                    content: "protocols = pop3\n"
                dovecot:
                  files:
                    - path: /etc/dovecot/local.conf
                      content: "protocols = imap\n"
                """);

        var result = new SpecLoader(Secrets).Load(_specs.Root);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(Reconciler.Core.Diagnostics.DiagnosticCodes.DuplicateResource, error.Code);
        Assert.Equal(8, error.Location.Line);
    }

    [Fact]
    public void Files_and_the_probe_read_with_defaults_and_a_template_calling_a_secret_makes_its_file_sensitive()
    {
        _specs.WithDefaultInventory()
            .Write("templates/sql.sbn", "connect = dbname=postfix password={{ secret \"mail_db_password\" }}\n")
            .Write("mail/dovecot.yaml", """
                kind: resources
                target: { host: web1 }
                dovecot:
                  files:
                    - path: /etc/dovecot/local.conf
                      content: "protocols = imap\n"
                    - path: /etc/dovecot/dovecot-sql.conf.ext
                      template: ../templates/sql.sbn
                      mode: "0600"
                      group: dovecot
                  probe:
                    user: alice@example.test
                    password: { secret: alice_password }
                """);

        var result = new SpecLoader(Secrets).Load(_specs.Root);

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var resources = result.State!.Hosts.Single(h => h.Host.Name == "web1").Resources;
        Assert.Equal(
            ["dovecot_file[/etc/dovecot/local.conf]", "dovecot_file[/etc/dovecot/dovecot-sql.conf.ext]", "dovecot_probe[alice@example.test]"],
            resources.Select(r => r.Address.ToString()));
        var local = Assert.IsType<DovecotFileResource>(resources[0]);
        Assert.Equal(("protocols = imap\n", "root", "root", "0644", false), (local.Content, local.Owner, local.Group, local.Mode, local.Sensitive));
        var sql = Assert.IsType<DovecotFileResource>(resources[1]);
        Assert.Equal(("connect = dbname=postfix password=db-9d2f-secret\n", "root", "dovecot", "0600", true), (sql.Content, sql.Owner, sql.Group, sql.Mode, sql.Sensitive));
        Assert.Equal("alice-7e1a-pass", Assert.IsType<DovecotProbeResource>(resources[2]).Password);
        Assert.Contains(sql.Content, SecretRedactor.SensitiveValuesOf(result.State));
    }

    [Fact]
    public void Paths_outside_etc_dovecot_unnormalized_paths_content_with_template_and_no_content_are_errors_at_their_place()
    {
        _specs.WithDefaultInventory()
            .Write("templates/t.sbn", "x\n")
            .Write("d.yaml", """
                kind: resources
                target: { group: all }
                dovecot:
                  files:
                    - path: /etc/postfix/main.cf
                      content: x
                    - path: /etc/dovecot/../shadow
                      content: x
                    - path: /etc/dovecot/both.conf
                      content: x
                      template: templates/t.sbn
                    - path: /etc/dovecot/none.conf
                      mode: "0999"
                """);
        var file = _specs.Path("d.yaml");

        Assert.Equal(
            $"""
            {file}:5:13: error RC3012: path '/etc/postfix/main.cf' is not under /etc/dovecot: doveconf checks only dovecot's configuration directory as a whole; declare other files under 'files'
            {file}:7:13: error RC3002: path '/etc/dovecot/../shadow' is not normalized (it contains '/../'); write '/etc/shadow'
            {file}:11:17: error RC2001: 'content' and 'template' are mutually exclusive; keep one
            {file}:12:7: error RC2001: a dovecot file needs 'content' or 'template': it is always written whole
            {file}:13:13: error RC3003: mode '0999' is not 3 or 4 octal digits (0000-7777)
            """,
            _specs.Diagnostics());
    }

    [Fact]
    public void A_probe_password_secret_that_is_not_set_is_reported_at_its_name_and_an_inline_one_is_masked()
    {
        _specs.WithDefaultInventory().Write("d.yaml", """
            kind: resources
            target: { host: web1 }
            dovecot:
              probe:
                user: alice@example.test
                password: { secret: alice_password }
            """);

        var missing = Assert.Single(new SpecLoader(SecretStore.Empty).Load(_specs.Root).Diagnostics);
        Assert.Equal(DiagnosticCodes.SecretNotSet, missing.Code);
        Assert.Equal((6, 25), (missing.Location.Line, missing.Location.Column));

        _specs.Write("d.yaml", """
            kind: resources
            target: { host: web1 }
            dovecot:
              probe: { user: alice@example.test, password: inline-4c2b-pass }
            """);
        var inline = _specs.Load();
        Assert.False(inline.HasErrors, string.Join("\n", inline.Diagnostics));
        Assert.Contains("inline-4c2b-pass", inline.Secrets);
    }
}
