using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Plans;
using Reconciler.Core.Tests.Support;
using Reconciler.Core.Resources.ConfigLines;
using static Reconciler.Core.Tests.Support.ProviderHarness;

namespace Reconciler.Core.Tests.Shell;

/// <summary>
/// Runs ConfigLineProvider's real read and apply scripts with /bin/sh against files in a temp directory,
/// then reads again: every case must converge, and every line the resource does not own must survive byte for byte.
/// </summary>
public sealed class ConfigLineShellTests : IDisposable
{
    private readonly IResourceProvider _provider = new ConfigLineProvider();
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string name, string text)
    {
        var path = _dir[name];
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    private const string LoginDefs =
        "# /etc/login.defs - Configuration control definitions\n" +
        "#\n" +
        "MAIL_DIR\t\t/var/mail\n" +
        "#UMASK\t\t077\n" +
        "# UMASK is the default umask value for pam_umask\n" +
        "UMASK\t\t022\n" +
        "\n" +
        "HOME_MODE\t0700\n" +
        "USERGROUPS_ENAB yes\n";

    [Fact]
    public void Config_line_read_script_reports_the_value_of_a_tab_separated_setting()
    {
        var path = Write("login.defs", LoginDefs);

        var observed = (ConfigLineObserved)Assert.Single(ReadLive(_provider, [Res.Line(path, "UMASK", "027")]));

        Assert.True(observed.FileExists);
        Assert.Equal(["022"], observed.Values);
    }

    [Fact]
    public void Config_line_value_is_replaced_keeping_tabs_comments_and_other_lines_byte_identical()
    {
        var path = Write("login.defs", LoginDefs);

        var change = Converge(_provider, Res.Line(path, "UMASK", "027"));

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal(LoginDefs.Replace("UMASK\t\t022\n", "UMASK\t\t027\n"), File.ReadAllText(path));
    }

    [Fact]
    public void Config_line_absent_key_is_appended_at_the_end()
    {
        var path = Write("login.defs", LoginDefs.Replace("UMASK\t\t022\n", ""));

        var change = Converge(_provider, Res.Line(path, "UMASK", "027"));

        Assert.Equal(ChangeAction.Create, change.Action);
        Assert.Equal(LoginDefs.Replace("UMASK\t\t022\n", "") + "UMASK 027\n", File.ReadAllText(path));
    }

    [Fact]
    public void Config_line_duplicates_first_is_replaced_and_later_ones_removed()
    {
        var path = Write("sshd_config", "Port 22\nPermitRootLogin yes\n# PermitRootLogin no\nX11Forwarding no\n  PermitRootLogin prohibit-password\n");

        var change = Converge(_provider, Res.Line(path, "PermitRootLogin", "no"));

        Assert.Equal("set 2 times; later duplicates are removed", change.Note);
        Assert.Equal("Port 22\nPermitRootLogin no\n# PermitRootLogin no\nX11Forwarding no\n", File.ReadAllText(path));
    }

    [Fact]
    public void Config_line_key_that_is_a_prefix_of_another_key_does_not_match_it()
    {
        var path = Write("login.defs", "UMASK_EXTRA 1\nUMASK 022\n");

        Converge(_provider, Res.Line(path, "UMASK", "027"));

        Assert.Equal("UMASK_EXTRA 1\nUMASK 027\n", File.ReadAllText(path));
    }

    [Fact]
    public void Config_line_with_equals_separator_replaces_only_the_value()
    {
        var path = Write("useradd", "# useradd defaults\nGROUP=100\nSHELL=/bin/sh\nINACTIVE = -1\n");

        Converge(_provider, Res.Line(path, "SHELL", "/bin/bash", "="));
        Converge(_provider, Res.Line(path, "INACTIVE", "30", "="));

        Assert.Equal("# useradd defaults\nGROUP=100\nSHELL=/bin/bash\nINACTIVE = 30\n", File.ReadAllText(path));
    }

    [Fact]
    public void Config_line_with_equals_separator_appends_key_equals_value()
    {
        var path = Write("useradd", "GROUP=100\n");

        Converge(_provider, Res.Line(path, "SHELL", "/bin/bash", "="));

        Assert.Equal("GROUP=100\nSHELL=/bin/bash\n", File.ReadAllText(path));
    }

    [Fact]
    public void Config_line_value_with_quotes_dollars_backslashes_and_spaces_survives_quoting()
    {
        const string value = "say \"hi\" to 'you' at $HOME `id` C:\\temp\\new \\\\ end";
        var path = Write("it's a $dir \\ file.conf", "Banner none\nOther 1\n");

        Converge(_provider, Res.Line(path, "Banner", value));

        Assert.Equal($"Banner {value}\nOther 1\n", File.ReadAllText(path));
    }

    [Fact]
    public void Config_line_edit_keeps_the_files_owner_and_mode_and_replaces_it_by_rename()
    {
        var path = Write("login.defs", LoginDefs);
        LocalShell.Run($"chown 65534:65534 '{path}' && chmod 0640 '{path}'");
        var inodeBefore = Stat(path, "%i");

        Converge(_provider, Res.Line(path, "UMASK", "027"));

        Assert.Equal("640 65534 65534", Stat(path, "%a %u %g"));
        Assert.NotEqual(inodeBefore, Stat(path, "%i"));
        Assert.Equal(["login.defs"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Config_line_edit_of_an_immutable_file_converges_and_leaves_it_immutable()
    {
        var path = Write("login.defs", LoginDefs);
        Assert.Equal(0, LocalShell.Run($"chattr +i '{path}'").ExitCode);

        Converge(_provider, Res.Line(path, "UMASK", "027"));

        Assert.Contains("i", LocalShell.Run($"lsattr -d '{path}' | cut -d' ' -f1").Stdout);
        Assert.Contains("UMASK\t\t027\n", File.ReadAllText(path));
    }

    [Fact]
    public void Config_line_file_without_trailing_newline_gets_the_key_on_its_own_line()
    {
        var path = Write("conf", "A 1");

        Converge(_provider, Res.Line(path, "B", "2"));

        Assert.Equal("A 1\nB 2\n", File.ReadAllText(path));
    }

    [Fact]
    public void Config_line_edit_through_a_symlink_changes_the_target_and_keeps_the_link_when_the_spec_says_follow()
    {
        // Debian ships /etc/sysctl.d/99-sysctl.conf -> ../sysctl.conf; /etc/resolv.conf is often a link too.
        var target = Write("sysctl.conf", "kernel.sysrq = 1\n");
        var link = _dir["99-sysctl.conf"];
        File.CreateSymbolicLink(link, target);

        Converge(_provider, Res.Line(link, "kernel.sysrq", "0", "=") with { Follow = true });

        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal("kernel.sysrq = 0\n", File.ReadAllText(target));
    }

    [Fact]
    public void Config_line_on_a_symlink_is_blocked_naming_the_target_unless_the_spec_says_follow()
    {
        var target = Write("shadow", "root $6$secret\n");
        var link = _dir["app.conf"];
        File.CreateSymbolicLink(link, target);

        var (observed, change) = PlanLive(_provider, Res.Line(link, "root", "x"));

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Equal($"{link} is a symbolic link to {target}; links are not followed unless the spec says follow: true", change.Note);
        Assert.Empty(((ConfigLineObserved)observed).Values);
    }

    [Fact]
    public void Config_line_value_in_a_file_local_users_cannot_read_is_compared_by_digest_and_not_shown()
    {
        var path = Write("dovecot-sql.conf.ext", "connect = host=localhost password=hunter2\n");
        LocalShell.Run($"chmod 0600 -- '{path}'");

        var (observed, change) = PlanLive(_provider, Res.Line(path, "connect", "= host=db"));
        var (_, same) = PlanLive(_provider, Res.Line(path, "connect", "= host=localhost password=hunter2"));

        Assert.DoesNotContain("hunter2", System.Text.Json.JsonSerializer.Serialize(observed));
        Assert.Equal(new PlanValue.Withheld($"{path} is not world-readable (600 root:root)", "set 1 time(s)"), Assert.Single(change.Attributes).Before);
        Assert.Equal(ChangeAction.NoOp, same.Action);
    }

    [Fact]
    public void Config_line_file_replaced_by_a_symlink_between_plan_and_apply_is_not_followed()
    {
        var victim = Write("victim", "UMASK 022\n");
        LocalShell.Run($"chmod 0600 -- '{victim}'");
        var path = Write("login.defs", LoginDefs);
        var resource = Res.Line(path, "UMASK", "027");
        var (observed, change) = PlanLive(_provider, resource);
        File.Delete(path);
        File.CreateSymbolicLink(path, victim);

        var result = Apply(_provider, resource, observed, change);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("UMASK 022\n", File.ReadAllText(victim));
        Assert.NotNull(new FileInfo(path).LinkTarget);
    }

    [Fact]
    public void Config_line_bare_key_without_a_value_gets_a_separator_and_converges()
    {
        // "UMASK" alone on a line counts as setting UMASK to "" (the read script reports V\t0\t), so apply rewrites
        // that line. The rewrite copies the whitespace that followed the key — none here — and writes "UMASK027",
        // which is no longer a UMASK line: the next read sees the key absent and plans a Create forever.
        var path = Write("login.defs", "UMASK\nHOME_MODE 0700\n");
        var resource = Res.Line(path, "UMASK", "027");
        var (observed, change) = PlanLive(_provider, resource);
        Assert.Equal(AttributeChange.Of(new("UMASK"), "", "027"), Assert.Single(change.Attributes));

        Assert.Equal(0, Apply(_provider, resource, observed, change).ExitCode);

        Assert.Equal("UMASK 027\nHOME_MODE 0700\n", File.ReadAllText(path)); // actual: "UMASK027\nHOME_MODE 0700\n"
        Assert.Equal(ChangeAction.NoOp, PlanLive(_provider, resource).Change.Action);
    }

    [Fact]
    public void Config_line_resources_of_one_file_split_by_another_file_keep_their_own_files_disclosure_and_errors()
    {
        // [P, Q, P]: the second resource of P reuses what the first read of P found. A read of Q in between must not
        // stand in for it: P's values are shown, Q's withheld, and neither may be reported under the other's index.
        var shown = Write("login.defs", LoginDefs);
        var closed = Write("secret.conf", "UMASK 077\n");
        LocalShell.Run($"chmod 0600 -- '{closed}'");

        var observed = ReadLive(_provider, [Res.Line(shown, "UMASK", "027"), Res.Line(closed, "UMASK", "027"), Res.Line(shown, "HOME_MODE", "0700")])
            .Cast<ConfigLineObserved>().ToList();

        Assert.Null(observed[0].Withheld);
        Assert.NotNull(observed[1].Withheld);
        Assert.Null(observed[2].Withheld);
        Assert.Equal(["0700"], observed[2].Values);
    }

    private static string Stat(string path, string format) =>
        LocalShell.Run($"stat -c '{format}' -- '{path.Replace("'", "'\\''")}'").Stdout.Trim();
}
