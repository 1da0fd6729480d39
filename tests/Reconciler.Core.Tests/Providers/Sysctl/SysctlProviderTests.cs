using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Sysctl;
using Reconciler.Core.Tests.Support;
using static Reconciler.Core.Tests.Support.ProviderHarness;

namespace Reconciler.Core.Tests.Providers.Sysctl;

/// <summary>
/// Fact lines are written exactly as SysctlProvider's read script prints them:
/// <c>P\tpath/form/key\t/full/path/of/file.conf\tvalue</c> for every persisted assignment in boot order,
/// <c>L\tINDEX\tlive value</c> when /proc/sys has the key and <c>M\tINDEX</c> when our own file exists.
/// </summary>
public class SysctlProviderTests
{
    private readonly IResourceProvider _provider = new SysctlProvider();
    private static readonly SysctlResource IpForward = Res.Sysctl("net.ipv4.ip_forward", "0");
    private const string OurFile = "/etc/sysctl.d/zz-reconciler-net.ipv4.ip_forward.conf";

    // Written as one list, answered in the sections the host prints them in (SysctlSections).
    private static ResourceChange Diff(IResourceProvider provider, Resource resource, params string[] lines) => SysctlSections.Diff(provider, resource, lines);

    private static object Observe(IResourceProvider provider, Resource resource, params string[] lines) => SysctlSections.Observe(provider, resource, lines);

    [Fact]
    public void Sysctl_in_sync_live_and_persisted_in_our_file_is_a_no_op()
    {
        var change = Diff(_provider, IpForward, $"P\tnet/ipv4/ip_forward\t{OurFile}\t1\t0", "L\t0\t0", "M\t0");

        Assert.Equal(ChangeAction.NoOp, change.Action);
        Assert.Empty(change.Attributes);
    }

    [Fact]
    public void Sysctl_persisted_only_by_another_file_plans_an_update_showing_that_file()
    {
        var change = Diff(_provider, IpForward, "P\tnet/ipv4/ip_forward\t/etc/sysctl.d/99-sysctl.conf\t1\t1", "L\t0\t1");

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal(
            [
                AttributeChange.Of(new("persisted"), "1 (/etc/sysctl.d/99-sysctl.conf)", $"0 ({OurFile})"),
                AttributeChange.Of(new("live"), "1", "0"),
            ],
            change.Attributes);
    }

    [Fact]
    public void Sysctl_last_persisted_assignment_in_boot_order_wins()
    {
        var change = Diff(_provider, IpForward,
            $"P\tnet/ipv4/ip_forward\t/usr/lib/sysctl.d/50-default.conf\t1\t1",
            $"P\tnet/ipv4/ip_forward\t{OurFile}\t1\t0",
            "L\t0\t0", "M\t0");

        Assert.Equal(ChangeAction.NoOp, change.Action);
    }

    [Fact]
    public void Sysctl_differing_only_in_live_value_plans_an_update_of_the_live_layer()
    {
        var change = Diff(_provider, IpForward, $"P\tnet/ipv4/ip_forward\t{OurFile}\t1\t0", "L\t0\t1", "M\t0");

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal([AttributeChange.Of(new("live"), "1", "0")], change.Attributes);
    }

    [Fact]
    public void Sysctl_with_nothing_persisted_and_no_managed_file_plans_a_create()
    {
        var change = Diff(_provider, IpForward, "L\t0\t0");

        Assert.Equal(ChangeAction.Create, change.Action);
        Assert.Equal([AttributeChange.Of(new("persisted"), null, $"0 ({OurFile})")], change.Attributes);
    }

    [Fact]
    public void Sysctl_whose_managed_file_exists_but_sets_nothing_plans_an_update_not_a_create()
    {
        var change = Diff(_provider, IpForward, "L\t0\t0", "M\t0");

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal([AttributeChange.Of(new("persisted"), null, $"0 ({OurFile})")], change.Attributes);
    }

    [Fact]
    public void Sysctl_the_kernel_lacks_is_blocked_with_the_proc_path_in_the_reason()
    {
        var missing = Res.Sysctl("net.ipv4.no_such_knob", "1");

        var change = Diff(_provider, missing, "P\tnet/ipv4/no_such_knob\t/etc/sysctl.d/10-x.conf\t1\t1", "M\t0");

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Contains("/proc/sys/net/ipv4/no_such_knob", change.Note);
        Assert.True(new HostPlan("h", [change]).HasErrors);
    }

    [Fact]
    public void Sysctl_multi_field_values_compare_with_whitespace_normalized()
    {
        // The kernel separates fields with tabs; the read script turns them into spaces and the spec may use either.
        var rmem = Res.Sysctl("net.ipv4.tcp_rmem", "4096\t87380   6291456");
        const string ours = "/etc/sysctl.d/zz-reconciler-net.ipv4.tcp_rmem.conf";

        var change = Diff(_provider, rmem, $"P\tnet/ipv4/tcp_rmem\t{ours}\t1\t4096 87380 6291456", "L\t0\t4096 87380 6291456 ", "M\t0");

        Assert.Equal(ChangeAction.NoOp, change.Action);
    }

    [Fact]
    public void Sysctl_multi_field_change_shows_normalized_values()
    {
        var rmem = Res.Sysctl("net.ipv4.tcp_rmem", "4096\t131072\t6291456");

        var change = Diff(_provider, rmem, "L\t0\t4096 87380 6291456");

        Assert.Equal(ChangeAction.Create, change.Action);
        Assert.Contains(AttributeChange.Of(new("live"), "4096 87380 6291456", "4096 131072 6291456"), change.Attributes);
    }

    [Fact]
    public void Sysctl_key_in_path_form_reads_and_persists_under_its_dotted_file_name()
    {
        // Interface names may contain dots, so such keys are written with '/'.
        var vlan = Res.Sysctl("net/ipv4/conf/eth0.100/forwarding", "1");

        Assert.Equal("/proc/sys/net/ipv4/conf/eth0.100/forwarding", vlan.ProcPath);
        Assert.Equal("/etc/sysctl.d/zz-reconciler-net.ipv4.conf.eth0.100.forwarding.conf", vlan.PersistFile);
        var change = Diff(_provider, vlan,
            "P\tnet/ipv4/conf/eth0.100/forwarding\t/etc/sysctl.d/zz-reconciler-net.ipv4.conf.eth0.100.forwarding.conf\t1\t1",
            "L\t0\t1", "M\t0");
        Assert.Equal(ChangeAction.NoOp, change.Action);
    }

    [Fact]
    public void Sysctl_facts_are_matched_to_resources_by_index()
    {
        IReadOnlyList<Reconciler.Core.Model.Resource> resources = [Res.Sysctl("kernel.a", "1"), Res.Sysctl("kernel.b", "2")];

        var observed = SysctlSections.Parse(_provider, resources, "L\t1\t2", "L\t0\t9", "M\t1").Cast<SysctlObserved>().ToList();

        Assert.Equal(("9", (string?)null, false), (observed[0].Live, observed[0].Persisted, observed[0].ManagedFileExists));
        Assert.Equal(("2", (string?)null, true), (observed[1].Live, observed[1].Persisted, observed[1].ManagedFileExists));
    }

    [Fact]
    public void Sysctl_apply_script_writes_live_before_persisting_and_quotes_the_value()
    {
        // Only the generated text is checked; the script is never run. A net.* key keeps it that way even if it were.
        var r = Res.Sysctl("net.ipv4.tcp_congestion_control", "|/bin/x 'a' $b");
        var observed = Observe(_provider, r, "L\t0\tcubic");
        var change = _provider.Diff(r, observed);

        var script = _provider.ApplyScript(r, observed, change);

        Assert.Contains("printf '%s\\n' '|/bin/x '\\''a'\\'' $b' > '/proc/sys/net/ipv4/tcp_congestion_control'", script);
        Assert.True(script.IndexOf("/proc/sys/net/ipv4/tcp_congestion_control", StringComparison.Ordinal)
                    < script.IndexOf("rc_write", StringComparison.Ordinal));
    }

    [Fact]
    public void A_live_value_the_kernel_will_not_read_yet_is_written_not_a_silent_stop()
    {
        // stable_secret answers a read with EIO until it is set: the read (here a directory, EISDIR, the same failed
        // read(2)) must leave the value empty and go on to the write, never end the set -e change with awk's read error.
        using var dir = new TempDir();
        var r = Res.Sysctl("net.ipv6.conf.all.stable_secret", "::1");
        var observed = Observe(_provider, r, "L\t0\t");
        var change = _provider.Diff(r, observed);
        var script = _provider.ApplyScript(r, observed, change).Replace(r.ProcPath, dir.Path, StringComparison.Ordinal);

        var result = LocalShell.Run(Frame(script));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("cannot set net.ipv6.conf.all.stable_secret = ::1", result.Stderr);
    }

    [Fact]
    public void A_live_value_other_users_cannot_read_is_compared_but_never_shown()
    {
        var change = Diff(_provider, IpForward, $"P\tnet/ipv4/ip_forward\t{OurFile}\t1\t0", "L\t0\t7341", "U\t0", "M\t0");

        var live = Assert.Single(change.Attributes, c => c.Name.Text == "live");
        var withheld = Assert.IsType<PlanValue.Withheld>(live.Before);
        Assert.Contains("/proc/sys/net/ipv4/ip_forward is not world-readable", withheld.Reason);
        Assert.DoesNotContain("7341", withheld.Shown);
    }

    [Fact]
    public void A_persisted_value_from_a_file_other_users_cannot_read_is_never_shown()
    {
        var change = Diff(_provider, IpForward,
            "Q\t/etc/sysctl.d/10-private.conf", "P\tnet/ipv4/ip_forward\t/etc/sysctl.d/10-private.conf\t1\t7341", "L\t0\t0");

        var persisted = Assert.Single(change.Attributes, c => c.Name.Text == "persisted");
        var withheld = Assert.IsType<PlanValue.Withheld>(persisted.Before);
        Assert.Contains("/etc/sysctl.d/10-private.conf is not world-readable", withheld.Reason);
        Assert.DoesNotContain("7341", withheld.Shown);
    }

    [Fact]
    public void The_read_script_marks_a_root_only_proc_entry_and_reads_an_open_one_as_usual()
    {
        // Reads only (never writes) this machine's /proc/sys: kernel.cad_pid is 0600 on every Linux, ip_forward 0644.
        IReadOnlyList<Reconciler.Core.Model.Resource> resources = [Res.Sysctl("kernel.cad_pid", "1"), Res.Sysctl("net.ipv4.ip_forward", "0")];

        var observed = ReadLive(_provider, resources).Cast<SysctlObserved>().ToList();

        Assert.True(observed[0].LiveClosed);
        Assert.False(observed[1].LiveClosed);
        Assert.Matches("^[01]$", observed[1].Live);
    }

    private const string Local = "/etc/sysctl.d/zzz-local.conf";

    [Fact]
    public void A_later_sorting_file_setting_another_value_is_named_with_its_line_and_planned_to_be_commented_out()
    {
        var change = Diff(_provider, IpForward, $"P\tnet/ipv4/ip_forward\t{OurFile}\t2\t0", $"P\tnet/ipv4/ip_forward\t{Local}\t4\t1", "L\t0\t0", "M\t0");

        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Contains($"{Local}:4", change.Note);
        Assert.Contains("comments that line out", change.Note);
        Assert.Equal(
            [
                AttributeChange.Of(new("persisted"), $"1 ({Local})", $"0 ({OurFile})"),
                new AttributeChange(new("override"), new PlanValue.Text($"{Local}:4 sets 1"),
                    new PlanValue.Text($"commented out (# reconciler: overridden by {OurFile}: …)")),
            ],
            change.Attributes);
    }

    [Fact]
    public void Etc_sysctl_conf_is_read_last_so_it_overrides_even_the_managed_file()
    {
        var change = Diff(_provider, IpForward, $"P\tnet/ipv4/ip_forward\t{OurFile}\t2\t0", "P\tnet/ipv4/ip_forward\t/etc/sysctl.conf\t28\t1", "L\t0\t0", "M\t0");

        Assert.Contains("/etc/sysctl.conf:28", change.Note);
        Assert.Single(change.Attributes, a => a.Name.Text == "override");
    }

    [Fact]
    public void Earlier_files_and_later_lines_that_agree_are_not_overrides()
    {
        var change = Diff(_provider, IpForward,
            "P\tnet/ipv4/ip_forward\t/etc/sysctl.d/99-sysctl.conf\t3\t1", $"P\tnet/ipv4/ip_forward\t{OurFile}\t2\t0",
            $"P\tnet/ipv4/ip_forward\t{Local}\t1\t0", "L\t0\t0", "M\t0");

        Assert.Equal(ChangeAction.NoOp, change.Action);
        Assert.Null(change.Note);
    }

    [Fact]
    public void Conflicts_block_makes_an_override_a_blocked_resource_naming_the_line()
    {
        var blocking = IpForward with { Conflicts = SysctlConflicts.Block };

        var change = Diff(_provider, blocking, $"P\tnet/ipv4/ip_forward\t{Local}\t4\t1", "L\t0\t1");

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Contains($"{Local}:4 (1)", change.Note);
        Assert.Contains("conflicts: block", change.Note);
    }

    [Fact]
    public void A_pattern_or_a_linked_file_overriding_the_key_is_blocked_whatever_the_mode()
    {
        var pattern = Diff(_provider, IpForward, $"P\tnet/ipv4/ip_*\t{Local}\t4\t1", "L\t0\t0");
        var linked = Diff(_provider, IpForward, $"P\tnet/ipv4/ip_forward\t{Local}\t4\t1", $"K\t{Local}", "L\t0\t0");

        Assert.Equal((ChangeAction.Blocked, ChangeAction.Blocked), (pattern.Action, linked.Action));
        Assert.Contains("a pattern (net/ipv4/ip_*) that sets other parameters too", pattern.Note);
        Assert.Contains("symbolic link", linked.Note);
    }

    [Fact]
    public void An_override_in_a_file_other_users_cannot_read_is_named_but_its_value_never_shown()
    {
        var change = Diff(_provider, IpForward, $"Q\t{Local}", $"P\tnet/ipv4/ip_forward\t{Local}\t4\t7341", "L\t0\t0");

        var line = Assert.Single(change.Attributes, a => a.Name.Text == "override");
        Assert.Equal(new PlanValue.Text($"{Local}:4 sets (value not shown: the file is not world-readable)"), line.Before);
        Assert.DoesNotContain("7341", string.Join(" ", change.Attributes) + change.Note);
    }

    [Fact]
    public void The_comment_out_step_marks_exactly_the_planned_lines_and_keeps_every_other_byte()
    {
        using var dir = new TempDir();
        var file = dir["zzz-local.conf"];
        const string text = "# local\nnet.ipv4.ip_forward = 1\nnet.ipv4.tcp_syncookies=1\n  -net/ipv4/ip_forward=1\n";
        File.WriteAllText(file, text);

        var result = LocalShell.Run(Frame(SysctlProvider.CommentOut(IpForward, file, [2, 4])));

        Assert.True(result.ExitCode == 0, result.Stderr);
        var marker = $"# reconciler: overridden by {OurFile}: ";
        Assert.Equal($"# local\n{marker}net.ipv4.ip_forward = 1\nnet.ipv4.tcp_syncookies=1\n{marker}  -net/ipv4/ip_forward=1\n", File.ReadAllText(file));
    }

    [Fact]
    public void The_comment_out_step_changes_nothing_when_a_planned_line_no_longer_sets_the_key()
    {
        using var dir = new TempDir();
        var file = dir["zzz-local.conf"];
        const string text = "# local\nnet.ipv4.tcp_syncookies=1\n";
        File.WriteAllText(file, text);

        var result = LocalShell.Run(Frame(SysctlProvider.CommentOut(IpForward, file, [2])));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no longer sets the key as planned; nothing changed", result.Stderr);
        Assert.Equal(text, File.ReadAllText(file));
    }

    [Fact]
    public void The_apply_script_comments_out_overrides_after_persisting_the_managed_file()
    {
        var observed = Observe(_provider, IpForward, $"P\tnet/ipv4/ip_forward\t{Local}\t4\t1", "L\t0\t0");
        var change = _provider.Diff(IpForward, observed);

        var script = _provider.ApplyScript(IpForward, observed, change);

        Assert.True(script.IndexOf("rc_write", StringComparison.Ordinal) < script.IndexOf("RC_LINES='4'", StringComparison.Ordinal));
        Assert.Contains($"p='{Local}'", script);
    }
}
