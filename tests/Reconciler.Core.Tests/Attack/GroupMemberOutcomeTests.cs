using Reconciler.Core.Diagnostics;
using Reconciler.Core.Resources.Dovecot;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Attack;

/// <summary>
/// A member of a group whose step only confirms what the carrier's transaction did must fail unless the transaction left
/// every attribute the member's change set: a transaction rolled back (doveconf refused another file) must not leave a
/// mode-only or owner-only change reported OK, or the operator believes a secret file was locked down when it was not.
/// </summary>
public sealed class GroupMemberOutcomeTests : IDisposable
{
    private static readonly SourceLocation At = new("specs/mail/30-dovecot.yaml", 1, 1);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Existing(string content, string mode)
    {
        var path = Path.Combine(_dir.Path, "dovecot-sql.conf.ext");
        File.WriteAllText(path, content);
        Assert.Equal(0, LocalShell.Run($"chmod {mode} '{path}'").ExitCode);
        return path;
    }

    private static string Me => Environment.UserName;

    [Theory]
    [InlineData("0644", "0600", null, null)]   // the transaction would have made a world-readable secret file private
    [InlineData("0600", "0600", "65534", null)] // owner not what the member declared
    [InlineData("0600", "0600", null, "65534")] // group not what the member declared
    public void A_confirm_step_fails_when_the_file_lacks_any_attribute_its_change_sets(string live, string declared, string? owner, string? group)
    {
        // Given the file already has the declared content but not the declared mode/owner/group (the transaction failed)
        const string content = "connect = password=s3cret\n";
        var path = Existing(content, live);
        var member = new DovecotFileResource(path, content, owner ?? Me, group ?? Me, declared, true, At);

        // When the member's confirm step runs
        var result = LocalShell.Run(DovecotTransaction.Confirm(member, "dovecot_file[/etc/dovecot/local.conf]"));

        // Then it is not reported applied
        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public void A_confirm_step_passes_when_the_transaction_left_content_mode_owner_and_group_as_declared()
    {
        const string content = "connect = password=s3cret\n";
        var path = Existing(content, "0600");
        Assert.Equal(0, LocalShell.Run(DovecotTransaction.Confirm(new DovecotFileResource(path, content, Me, Me, "0600", true, At), "x")).ExitCode);
        Assert.Equal(0, LocalShell.Run(DovecotTransaction.Confirm(new DovecotFileResource(path, content, "0", "0", "600", true, At), "x")).ExitCode);
    }
}
