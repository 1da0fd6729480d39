using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Shell;
using Reconciler.Core.Tests.Support;
using static Reconciler.Core.Tests.Support.ProviderHarness;

namespace Reconciler.Core.Tests.Shell;

/// <summary>
/// Runs FileProvider's real read and apply scripts with /bin/sh against paths in a temp directory (we run as root,
/// so chown and chattr work; nothing outside the temp directory is touched), then reads again to prove convergence.
/// </summary>
public sealed class FileShellTests : IDisposable
{
    private readonly IResourceProvider _provider = new FileProvider();
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Q(string path) => "'" + path.Replace("'", "'\\''") + "'";

    private static string Stat(string path, string format) => LocalShell.Run($"stat -c '{format}' -- {Q(path)}").Stdout.Trim();

    private static string Flags(string path) => LocalShell.Run($"lsattr -d -- {Q(path)} | cut -d' ' -f1").Stdout.Trim();

    private string[] Entries() => Directory.GetFileSystemEntries(_dir.Path).Select(p => Path.GetFileName(p)!).Order().ToArray();

    [Fact]
    public void File_read_script_reports_type_owner_mode_digest_and_content()
    {
        var path = _dir["motd"];
        File.WriteAllText(path, "hello\n");
        LocalShell.Run($"chown 65534:65534 {Q(path)}; chmod 644 {Q(path)}");

        var observed = (FileFacts)Assert.Single(ReadLive(_provider, [Res.File(path, "other") with { Attributes = "" }]));
        var undeclared = (FileFacts)Assert.Single(ReadLive(_provider, [Res.File(path, "other")]));

        Assert.Null(undeclared.Attributes); // lsattr runs only for a file that declares its flags
        Assert.True(observed.Exists);
        Assert.Equal("file", observed.Type);
        Assert.Equal("65534", observed.OwnerId);
        Assert.Equal("65534", observed.GroupId);
        Assert.Equal("0644", observed.Mode);
        Assert.Equal("hello\n", observed.Live?.Text);
        Assert.NotNull(observed.Attributes); // ext4 here reports chattr flags
        Assert.Equal(Sha256Text.Hex("hello\n"), observed.Sha256);
    }

    [Fact]
    public void File_read_script_reports_a_missing_path_as_missing()
    {
        var observed = Assert.Single(ReadLive(_provider, [Res.File(_dir["nope"], "x")]));

        Assert.Equal(FileFacts.Missing, observed);
    }

    [Fact]
    public void File_larger_than_the_shown_limit_is_read_by_digest_only()
    {
        var path = _dir["big"];
        var big = new string('x', FileProvider.MaxContentShown + 1);
        File.WriteAllText(path, big);

        var observed = (FileFacts)Assert.Single(ReadLive(_provider, [Res.File(path, "x")]));

        Assert.Null(observed.Live?.Text);
        Assert.Equal(Sha256Text.Hex(big), observed.Sha256);
    }

    [Fact]
    public void File_create_writes_content_with_the_declared_mode_and_leaves_no_temp_file()
    {
        var path = _dir["issue"];

        var change = Converge(_provider, Res.File(path, "Authorized use only\n", mode: "0600"));

        Assert.Equal(ChangeAction.Create, change.Action);
        Assert.Equal("Authorized use only\n", File.ReadAllText(path));
        Assert.Equal("600 0 0", Stat(path, "%a %u %g"));
        Assert.Equal(["issue"], Entries());
    }

    [Fact]
    public void File_create_without_declared_mode_gets_0644()
    {
        var path = _dir["issue"];

        Converge(_provider, Res.File(path, "x\n"));

        Assert.Equal("644", Stat(path, "%a"));
    }

    [Fact]
    public void File_content_update_keeps_the_existing_owner_and_mode_and_replaces_by_rename()
    {
        var path = _dir["app.conf"];
        File.WriteAllText(path, "old\n");
        LocalShell.Run($"chown 65534:65534 {Q(path)}; chmod 0640 {Q(path)}");
        var inode = Stat(path, "%i");

        var change = Converge(_provider, Res.File(path, "new\n"));

        // 0640: a local user could not read the old text, so the plan does not show it.
        Assert.Equal([new AttributeChange(new("content"), new PlanValue.Withheld($"{path} is not world-readable (640 nobody:nogroup)", "4 bytes, 1 line(s)"), new PlanValue.Text("new\n"))], change.Attributes);
        Assert.Equal("new\n", File.ReadAllText(path));
        Assert.Equal("640 65534 65534", Stat(path, "%a %u %g"));
        Assert.NotEqual(inode, Stat(path, "%i"));
        Assert.Equal(["app.conf"], Entries());
    }

    [Fact]
    public void File_owner_change_without_declared_mode_keeps_setuid_bit()
    {
        // chown clears set-uid; the apply script must put the observed mode back.
        var path = _dir["tool"];
        File.WriteAllText(path, "#!/bin/sh\n");
        LocalShell.Run($"chmod 4755 {Q(path)}");

        Converge(_provider, Res.File(path, owner: "65534", group: "65534"));

        Assert.Equal("4755 65534 65534", Stat(path, "%a %u %g"));
    }

    [Fact]
    public void File_owner_change_with_declared_mode_sets_that_mode_after_chown()
    {
        var path = _dir["tool"];
        File.WriteAllText(path, "#!/bin/sh\n");
        LocalShell.Run($"chmod 0755 {Q(path)}");

        Converge(_provider, Res.File(path, owner: "65534", mode: "2755"));

        Assert.Equal("2755 65534", Stat(path, "%a %u"));
    }

    [Fact]
    public void Directory_with_sticky_mode_1777_is_created()
    {
        var path = _dir["shared"];

        var change = Converge(_provider, Res.File(path, type: FileType.Directory, mode: "1777"));

        Assert.Equal(ChangeAction.Create, change.Action);
        Assert.Equal("directory 1777", Stat(path, "%F %a"));
    }

    [Fact]
    public void File_path_and_content_with_quotes_dollars_backslashes_and_spaces_survive_quoting()
    {
        var path = _dir["it's a \"$HOME\" `x` \\ file"];
        const string content = "line with 'single' and \"double\" quotes\n$HOME $(id) `id` \\n \\\\\n\ttab\n";

        Converge(_provider, Res.File(path, content, mode: "640"));

        Assert.Equal(content, File.ReadAllText(path));
        Assert.Single(Entries());
    }

    [Fact]
    public void File_content_that_is_not_utf8_text_is_replaced_and_converges()
    {
        var path = _dir["blob"];
        File.WriteAllBytes(path, [0xff, 0x00, 0xfe]);

        var change = Converge(_provider, Res.File(path, "text\n"));

        Assert.Equal(new PlanValue.Withheld("binary content", "3 bytes, 0 line(s)"), change.Attributes.Single(a => a.Name.Text == "content").Before);
        Assert.Equal("text\n", File.ReadAllText(path));
    }

    [Fact]
    public void File_update_through_a_symlink_writes_the_target_and_keeps_the_link_when_the_spec_says_follow()
    {
        var target = _dir["real.conf"];
        var link = _dir["link.conf"];
        File.WriteAllText(target, "old\n");
        File.CreateSymbolicLink(link, target);

        Converge(_provider, Res.File(link, "new\n", mode: "600") with { Follow = true });

        Assert.Equal("symbolic link", Stat(link, "%F"));
        Assert.Equal("new\n", File.ReadAllText(target));
        Assert.Equal("600", Stat(target, "%a"));
    }

    [Fact]
    public void File_that_is_a_symlink_is_blocked_naming_its_target_and_nothing_is_read_through_it()
    {
        var target = _dir["shadow"];
        var link = _dir["managed.conf"];
        File.WriteAllText(target, "root:$6$secret:19000:0:99999:7:::\n");
        LocalShell.Run($"chmod 0644 {Q(target)}");
        File.CreateSymbolicLink(link, target);

        var (observed, change) = PlanLive(_provider, Res.File(link, "managed\n", mode: "644"));

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Equal($"is a symbolic link to {target}; links are not followed unless the spec says follow: true", change.Note);
        Assert.DoesNotContain("secret", System.Text.Json.JsonSerializer.Serialize(observed));
    }

    [Fact]
    public void File_replaced_by_a_symlink_between_plan_and_apply_is_not_followed()
    {
        // Given a plan made while the path was a regular file in a directory a local user can write
        var victim = _dir["shadow"];
        var path = _dir["managed.conf"];
        File.WriteAllText(victim, "root:x\n");
        LocalShell.Run($"chmod 0640 {Q(victim)}");
        File.WriteAllText(path, "old\n");
        var resource = Res.File(path, "managed\n", owner: "65534", mode: "0644");
        var (observed, change) = PlanLive(_provider, resource);

        // When the local user swaps it for a link before the apply runs
        File.Delete(path);
        File.CreateSymbolicLink(path, victim);
        var result = Apply(_provider, resource, observed, change);

        // Then the apply refuses and the link's target keeps its content, owner and mode
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"{path} is a symbolic link (to {victim})", result.Stderr);
        Assert.Equal("root:x\n", File.ReadAllText(victim));
        Assert.Equal("640 0", Stat(victim, "%a %u"));
    }

    [Fact]
    public void Mode_and_owner_changes_act_on_the_checked_file_never_on_a_link()
    {
        var victim = _dir["victim"];
        var path = _dir["tool"];
        File.WriteAllText(victim, "v\n");
        LocalShell.Run($"chmod 0600 {Q(victim)}");
        File.WriteAllText(path, "t\n");
        var resource = Res.File(path, owner: "65534", mode: "0755");
        var (observed, change) = PlanLive(_provider, resource);
        File.Delete(path);
        File.CreateSymbolicLink(path, victim);

        var result = Apply(_provider, resource, observed, change);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("600 0", Stat(victim, "%a %u"));
    }

    [Fact]
    public void File_content_of_a_fifo_or_an_unreadable_directory_path_is_never_read()
    {
        var fifo = _dir["fifo"];
        LocalShell.Run($"mkfifo {Q(fifo)}");
        var hidden = _dir["private"];
        Directory.CreateDirectory(hidden);
        LocalShell.Run($"chmod 0700 {Q(hidden)}");
        var inside = System.IO.Path.Combine(hidden, "key");
        File.WriteAllText(inside, "PRIVATE KEY\n");
        LocalShell.Run($"chmod 0644 {Q(inside)}");

        var observed = ReadLive(_provider, [Res.File(fifo, "x\n"), Res.File(inside, "x\n")]).Cast<FileFacts>().ToList();

        Assert.Equal("fifo", observed[0].Type);
        Assert.Null(observed[0].Live);
        Assert.Null(observed[1].Live?.Text);
        Assert.Equal($"directory {hidden} is not world-searchable (700 root:root)", observed[1].Live!.Withheld);
        Assert.Equal(Sha256Text.Hex("PRIVATE KEY\n"), observed[1].Sha256);
        Assert.Equal((12L, 1L), (observed[1].Live!.Size, observed[1].Live!.Lines));
    }

    [Fact]
    public void File_ensure_absent_removes_the_file()
    {
        var path = _dir["cron.deny"];
        File.WriteAllText(path, "x");

        var change = Converge(_provider, Res.File(path, ensure: Ensure.Absent));

        Assert.Equal(ChangeAction.Delete, change.Action);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void File_ensure_absent_removes_an_immutable_file()
    {
        var path = _dir["locked"];
        File.WriteAllText(path, "x");
        LocalShell.Run($"chattr +i {Q(path)}");

        Converge(_provider, Res.File(path, ensure: Ensure.Absent));

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Directory_ensure_absent_is_not_removed_when_it_has_contents()
    {
        var path = _dir["data"];
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "keep"), "x");
        var resource = Res.File(path, type: FileType.Directory, ensure: Ensure.Absent);
        var (observed, change) = PlanLive(_provider, resource);

        var result = Apply(_provider, resource, observed, change);

        Assert.NotEqual(0, result.ExitCode);
        Assert.True(File.Exists(Path.Combine(path, "keep")));
    }

    [Fact]
    public void File_immutable_attribute_is_set_on_create_and_the_file_stays_immutable_through_a_content_update()
    {
        var path = _dir["resolv.conf"];

        Converge(_provider, Res.File(path, "nameserver 10.0.0.1\n", attributes: "i"));
        Assert.Contains('i', Flags(path));

        Converge(_provider, Res.File(path, "nameserver 10.0.0.2\n", attributes: "i"));
        Assert.Contains('i', Flags(path));
        Assert.Equal("nameserver 10.0.0.2\n", File.ReadAllText(path));
    }

    [Fact]
    public void File_managed_attributes_clear_an_undeclared_append_only_flag()
    {
        var path = _dir["log"];
        File.WriteAllText(path, "x");
        LocalShell.Run($"chattr +a {Q(path)}");

        Converge(_provider, Res.File(path, attributes: ""));

        Assert.DoesNotContain('a', Flags(path));
    }

    [Fact]
    public void File_failed_change_of_an_immutable_file_leaves_it_immutable()
    {
        var path = _dir["locked"];
        File.WriteAllText(path, "x\n");
        LocalShell.Run($"chattr +i {Q(path)}");
        var resource = Res.File(path, "y\n", owner: "no-such-user-reconciler");
        var (observed, change) = PlanLive(_provider, resource);

        var result = Apply(_provider, resource, observed, change);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains('i', Flags(path));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_immutable_file_a_change_unlocks_is_locked_again_however_the_change_ends(bool succeeds)
    {
        // Given two immutable files one change unlocks in turn (as a Postfix swap does main.cf, then master.cf)
        var first = _dir["main.cf"];
        var second = _dir["master.cf"];
        File.WriteAllText(first, "a\n");
        File.WriteAllText(second, "b\n");
        LocalShell.Run($"chattr +i {Q(first)} {Q(second)}");

        // When the change writes both and then ends, well or not
        var result = LocalShell.Run(ProviderHarness.Frame(
            $"rc_unlock {Q(first)}; rc_write {Q(first)} {Sh.Quote(Sh.Base64("a2\n"))}\n" +
            $"rc_unlock {Q(second)}; rc_write {Q(second)} {Sh.Quote(Sh.Base64("b2\n"))}\n" + (succeeds ? "true" : "false")));

        // Then both are immutable again, not only the last one unlocked
        Assert.Equal(succeeds ? 0 : 1, result.ExitCode);
        Assert.Equal(("a2\n", "b2\n"), (File.ReadAllText(first), File.ReadAllText(second)));
        Assert.Contains('i', Flags(first));
        Assert.Contains('i', Flags(second));
    }

    [Fact]
    public void File_apply_script_is_valid_posix_shell_for_every_action()
    {
        // dash -n parses without running: catches quoting mistakes in branches the other tests do not take.
        var path = _dir["x"];
        var resources = new[]
        {
            Res.File(path, "c", owner: "root", group: "root", mode: "0600", attributes: "ai"),
            Res.File(path, type: FileType.Directory, owner: "root", mode: "0755", attributes: ""),
            Res.File(path, ensure: Ensure.Absent),
        };
        var observedFile = new FileFacts(true, "file", "daemon", "1", "daemon", "1", "0644", "", new LiveText("00", 3, 1, "old", null));
        foreach (var r in resources)
        foreach (var observed in new[] { FileFacts.Missing, observedFile })
        {
            var change = _provider.Diff(r, observed);
            if (!change.Action.ChangesHost()) continue;
            var script = ApplyScript(_provider, r, observed, change);
            var result = LocalShell.Run("/bin/sh -n <<'RC_EOF'\n" + script + "\nRC_EOF\n");
            Assert.True(result.ExitCode == 0, $"{change.Action} script does not parse: {result.Stderr}\n{script}");
        }
    }
}
