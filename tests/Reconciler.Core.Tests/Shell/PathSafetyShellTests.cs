using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Shell;
using Reconciler.Core.Tests.Support;
using static Reconciler.Core.Tests.Support.ProviderHarness;

namespace Reconciler.Core.Tests.Shell;

/// <summary>
/// rc_chain (rc-path.sh) run with /bin/sh as root on a scratch tree: one test per verdict of the path rule. User 65534
/// (nobody) plays the local user who controls a directory; nothing outside the scratch directory is touched.
/// </summary>
public sealed class PathSafetyShellTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Q(string path) => Sh.Quote(path);

    /// <summary>Runs rc_chain on PATH and prints its verdict: <c>ok REAL UID SHARED</c> or <c>refused WHY</c>.</summary>
    private static string Chain(string path, bool follow = false) =>
        LocalShell.Run(PathSafety.Carry(PathSafety.Functions) + "\n" +
            $"if rc_chain {Q(path)} {(follow ? 1 : 0)}; then echo \"ok $rc_chain_real uid=$rc_chain_uid shared=$rc_chain_shared\"; else echo \"refused $rc_chain_why\"; fi").Stdout.Trim();

    [Fact]
    public void A_root_only_path_resolves_as_written()
    {
        LocalShell.Run($"mkdir -p {Q(_dir["etc/app"])}");

        Assert.Equal($"ok {_dir["etc/app/app.conf"]} uid= shared=", Chain(_dir["etc/app/app.conf"]));
    }

    [Fact]
    public void A_link_only_root_could_make_is_followed_like_merged_usr()
    {
        LocalShell.Run($"mkdir -p {Q(_dir["usr/bin"])} && ln -s usr/bin {Q(_dir["bin"])}");

        Assert.Equal($"ok {_dir["usr/bin/su"]} uid= shared=", Chain(_dir["bin/su"]));
    }

    [Fact]
    public void A_link_in_a_directory_a_user_controls_is_refused_naming_it_even_with_follow()
    {
        LocalShell.Run($"mkdir -p {Q(_dir["home/u"])} {Q(_dir["root/.ssh"])} && chown 65534 {Q(_dir["home/u"])} && ln -s {Q(_dir["root/.ssh"])} {Q(_dir["home/u/.ssh"])}");

        var verdict = Chain(_dir["home/u/.ssh/authorized_keys"]);

        Assert.Equal($"refused unsafe path transition: {_dir["home/u/.ssh"]} is a symbolic link in a directory nobody controls; not followed", verdict);
        Assert.StartsWith("refused unsafe path transition", Chain(_dir["home/u/.ssh/authorized_keys"], follow: true));
    }

    [Fact]
    public void A_directory_a_user_owns_makes_the_path_that_users()
    {
        LocalShell.Run($"mkdir -p {Q(_dir["home/u/.ssh"])} && chown 65534 {Q(_dir["home/u"])} {Q(_dir["home/u/.ssh"])}");

        Assert.Equal($"ok {_dir["home/u/.ssh/authorized_keys"]} uid=65534 shared=", Chain(_dir["home/u/.ssh/authorized_keys"]));
    }

    [Fact]
    public void Directories_of_two_users_are_an_unsafe_transition()
    {
        LocalShell.Run($"mkdir -p {Q(_dir["home/u/sub"])} && chown 65534 {Q(_dir["home/u"])} && chown 65533 {Q(_dir["home/u/sub"])}");

        Assert.StartsWith($"refused unsafe path transition: {_dir["home/u/sub"]} belongs to", Chain(_dir["home/u/sub/x"]));
    }

    [Fact]
    public void A_directory_others_can_write_is_an_unsafe_transition_and_a_sticky_one_only_around_foreign_entries()
    {
        LocalShell.Run($"mkdir -p {Q(_dir["drop/app"])} {Q(_dir["sticky/mine"])} {Q(_dir["sticky/theirs"])} && chmod 0777 {Q(_dir["drop"])} && chmod 1777 {Q(_dir["sticky"])} && chown 65534 {Q(_dir["sticky/theirs"])}");

        Assert.StartsWith($"refused unsafe path transition: directory {_dir["drop"]} can be written by other users (777 root:root)", Chain(_dir["drop/app/x"]));
        Assert.Equal($"ok {_dir["sticky/mine/x"]} uid= shared=", Chain(_dir["sticky/mine/x"]));
        Assert.StartsWith($"refused unsafe path transition: {_dir["sticky/theirs"]} belongs to nobody", Chain(_dir["sticky/theirs/x"]));
        Assert.Equal($"ok {_dir["sticky/new"]} uid= shared={_dir["sticky"]}", Chain(_dir["sticky/new"]));
    }

    [Theory]
    [InlineData("/proc/self/cwd/.note")]
    [InlineData("/dev/zero")]
    [InlineData("/sys/kernel/notes")]
    public void Kernel_views_are_refused(string path)
    {
        Assert.EndsWith("under /proc, /sys or /dev; kernel views are never managed", Chain(path));
    }

    [Fact]
    public void A_link_only_root_made_that_leads_into_proc_is_refused_after_resolution()
    {
        LocalShell.Run($"ln -s /proc/self {Q(_dir["self"])}");

        Assert.EndsWith("under /proc, /sys or /dev; kernel views are never managed", Chain(_dir["self/cwd/x"]));
    }

    [Fact]
    public void The_file_kind_reads_a_users_path_as_that_user_and_root_refuses_to_write_it()
    {
        // Given a directory nobody owns, holding a file only root may read
        LocalShell.Run($"mkdir -p {Q(_dir["home/u"])} && chown 65534 {Q(_dir["home/u"])} && echo secret > {Q(_dir["home/u/f"])} && chmod 0600 {Q(_dir["home/u/f"])}");
        var provider = new FileProvider();

        // When the file kind reads it, and root's writer is asked to write there
        var facts = (FileFacts)Assert.Single(ReadLive(provider, [Res.File(_dir["home/u/f"], "x\n")]));
        var write = LocalShell.Run(ShellLibrary.Source + $"\nrc_write {Q(_dir["home/u/f"])} eA==");

        // Then the read ran as nobody (who cannot read root's file there) and root wrote nothing
        Assert.Equal(new PathController("65534", "nobody"), facts.ControlledBy);
        Assert.Equal("not readable by nobody, who controls its directory", facts.Live?.Unreadable);
        Assert.NotEqual(0, write.ExitCode);
        Assert.Contains("nobody controls a directory on the way; written only as nobody", write.Stderr);
        Assert.Equal("secret\n", File.ReadAllText(_dir["home/u/f"]));
    }
}
