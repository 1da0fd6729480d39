using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Permissions;
using Reconciler.Core.Shell;
using Reconciler.Core.Tests.Support;
using static Reconciler.Core.Tests.Support.ProviderHarness;

namespace Reconciler.Core.Tests.Shell;

/// <summary>
/// The class "root acts by name inside a directory another user controls", for the permissions kind: rc_chain judges
/// only the declared path, so a recursive chmod as root under it must never descend into a directory a local user owns
/// or may write — that user can swap a subdirectory for a link to any file (mv -T) between find's look and chmod. The
/// kind's real read and apply scripts run with /bin/sh as root on a scratch tree; user 65534 (nobody) is the local user,
/// as in PathSafetyShellTests. The race is made deterministic: a chmod placed first on PATH performs the user's swap
/// (as nobody) the first time apply calls it, then runs the real chmod.
/// </summary>
public sealed class PermissionsDescentTests : IDisposable
{
    private static readonly SourceLocation At = new("specs/all/file-protection.yaml", 9, 5);
    private readonly IResourceProvider _provider = new PermissionsProvider();
    private readonly TempDir _dir = new();
    private readonly TempDir _victim = new();

    public PermissionsDescentTests()
    {
        // tree/               root 0775   offender
        //   a                 root 0664   offender
        //   home/             nobody 0775 offender itself; never descended
        //     f               nobody 0664
        //     sub/            nobody 0775
        //       g             nobody 0664
        //     l            -> victim/f (a link nobody planted)
        // victim/f            root 0664   root's file the user wants changed
        LocalShell.Run($"mkdir -p {Q(_dir["tree/home/sub"])} && touch {Q(_dir["tree/a"])} {Q(_dir["tree/home/f"])} {Q(_dir["tree/home/sub/g"])} {Q(_victim["f"])} && " +
            $"chmod 0775 {Q(_dir["tree"])} {Q(_dir["tree/home"])} {Q(_dir["tree/home/sub"])} && chmod 0664 {Q(_dir["tree/a"])} {Q(_dir["tree/home/f"])} {Q(_dir["tree/home/sub/g"])} {Q(_victim["f"])} && " +
            $"chown -R 65534:65534 {Q(_dir["tree/home"])} && {AsNobody($"ln -s {Q(_victim["f"])} {Q(_dir["tree/home/l"])}")}");
    }

    public void Dispose()
    {
        _dir.Dispose();
        _victim.Dispose();
    }

    private static string Q(string path) => Sh.Quote(path);

    private static string AsNobody(string command) => $"setpriv --reuid=65534 --regid=65534 --clear-groups sh -c {Sh.Quote(command)}";

    private static string Mode(string path) => LocalShell.Run($"stat -c %a -- {Q(path)}").Stdout.Trim();

    private PermissionsResource Tree => new(_dir["tree"], true, "g-w", [], At);

    [Fact]
    public void A_directory_a_user_owns_is_not_descended_its_own_mode_is_corrected_and_the_plan_names_it()
    {
        var (observed, change) = PlanLive(_provider, Tree);

        var seen = (PermissionsObserved)observed;
        Assert.Equal(3, seen.Offenders);
        Assert.Equal(new[] { _dir["tree"], _dir["tree/a"], _dir["tree/home"] }.Order(), seen.Sample.Order());
        Assert.Equal([$"{_dir["tree/home"]}: owned by nobody"], seen.NotDescended);
        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Contains($"not descended (another user controls them; their contents are left to that user): {_dir["tree/home"]}: owned by nobody", change.Note);

        var result = Apply(_provider, Tree, observed, change);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("755", Mode(_dir["tree"]));
        Assert.Equal("644", Mode(_dir["tree/a"]));
        Assert.Equal("755", Mode(_dir["tree/home"])); // its name is in tree/, which only root can change
        Assert.Equal("664", Mode(_dir["tree/home/f"])); // the user's own: left to the user
        Assert.Equal("775", Mode(_dir["tree/home/sub"]));
        Assert.Equal("664", Mode(_victim["f"])); // the planted link is never chmod-ed, nor followed

        // Converged for what root alone controls; what is left is named, as a skip, not reported as drift.
        var (_, after) = PlanLive(_provider, Tree);
        Assert.Equal(ChangeAction.Skip, after.Action);
        Assert.Contains($"{_dir["tree/home"]}: owned by nobody", after.Note);
    }

    [Fact]
    public void A_user_swapping_a_subdirectory_for_a_link_while_apply_runs_gains_nothing()
    {
        var (observed, change) = PlanLive(_provider, Tree);
        var bin = _dir["bin"];
        var flag = _dir["swapped"];
        // The user's moves, at the worst moment: when chmod is called on tree/home/sub/g (by full name, or as ./g from its
        // directory), before it acts. The directory swap defeats chmod by full name (find -exec), the file swap chmod run
        // in the directory (-execdir). Apply as it is never asks chmod about g, so the hook never fires.
        File.WriteAllText(_dir["chmod-hook"],
            $"#!/bin/sh\nfor a; do case $a in */g) if [ ! -e {Q(flag)} ]; then : > {Q(flag)}; " +
            AsNobody($"mv {Q(_dir["tree/home/sub"])} {Q(_dir["tree/home/sub.old"])} && ln -s {Q(_victim.Path)} {Q(_dir["tree/home/sub"])} && " +
                $"mv {Q(_dir["tree/home/sub.old/g"])} {Q(_dir["tree/home/sub.old/g.old"])} && ln -s {Q(_victim["g"])} {Q(_dir["tree/home/sub.old/g"])}") +
            "; fi ;; esac; done\nexec /bin/chmod \"$@\"\n");
        LocalShell.Run($"mkdir -p {Q(bin)} && mv {Q(_dir["chmod-hook"])} {Q(bin + "/chmod")} && /bin/chmod 0755 {Q(bin + "/chmod")} && touch {Q(_victim["g"])} && /bin/chmod 0664 {Q(_victim["g"])}");

        var result = LocalShell.Run($"PATH={Q(bin)}:$PATH; export PATH\n" + ApplyScript(_provider, Tree, observed, change));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("664", Mode(_victim["g"])); // root's file, which the swaps point at
        Assert.Equal("664", Mode(_victim["f"]));
        Assert.False(File.Exists(flag), "apply called chmod on a name inside nobody's directory");
        Assert.Equal("664", Mode(_dir["tree/home/sub/g"]));
        Assert.Equal("755", Mode(_dir["tree"]));
    }

    [Fact]
    public void A_root_directory_another_group_may_write_is_not_descended()
    {
        LocalShell.Run($"mkdir {Q(_dir["tree/shared"])} && touch {Q(_dir["tree/shared/s"])} && chgrp 65534 {Q(_dir["tree/shared"])} && " +
            $"chmod 0775 {Q(_dir["tree/shared"])} && chmod 0664 {Q(_dir["tree/shared/s"])}");

        var (observed, change) = PlanLive(_provider, Tree);

        var seen = (PermissionsObserved)observed;
        Assert.DoesNotContain(_dir["tree/shared/s"], seen.Sample);
        Assert.Contains($"{_dir["tree/shared"]}: writable by other users (drwxrwxr-x root:nogroup)", seen.NotDescended);
        Assert.True(Apply(_provider, Tree, observed, change).ExitCode == 0);
        Assert.Equal("755", Mode(_dir["tree/shared"]));
        Assert.Equal("664", Mode(_dir["tree/shared/s"]));
    }
}
