using System.Globalization;
using Reconciler.Core.Facts;
using Reconciler.Core.Resources.Health;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Providers.Health;

/// <summary>
/// The health read (health.sh) run on this machine and its parser fed real and hostile answers: real figures come out
/// as the kernel gives them, names a host controls stay one inert line, and anything the script does not print is
/// malformed, never a figure.
/// </summary>
public sealed class HealthFactsTests
{
    private static readonly string[] Small =
    [
        "CLOCK\t1700000000", "UPTIME\t12.5", "LOAD\t0.10\t0.20\t0.30\t2", "MEM\t1000\t500\t200\t100", "SYN\t3\tss",
        "FS\t0\t/\t/dev/sda1\text4\t1000\t500\t400\t4096\t100\t50", "CHECK\t0\t3\t-1\t1700000000",
        "FS\t1\t/run\ttmpfs\ttmpfs\t100\t100\t100\t4096\t10\t9", "LEFT\t0", "END",
    ];

    [Fact]
    public void The_read_run_on_this_machine_gives_the_kernels_own_figures()
    {
        var before = MemTotalKiB();
        var run = LocalShell.Run(HealthFactsParser.ReadScript);
        Assert.True(run.ExitCode == 0, run.Stderr);

        var facts = HealthFactsParser.Parse(LocalShell.Lines(run.Stdout));

        Assert.Equal(before, facts.Memory!.TotalKiB);
        Assert.InRange(facts.ReadAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(Environment.ProcessorCount, facts.Load!.Cpus);
        Assert.True(facts.Uptime > TimeSpan.Zero);
        Assert.NotNull(facts.SynRecv);
        // The root filesystem is measured as stat -f sees it; /proc and /sys are never filesystems here.
        var root = Assert.Single(facts.Filesystems, f => f.Mount == "/");
        Assert.True(root.SizeBytes > 0 && root.UsedBytes <= root.SizeBytes);
        Assert.DoesNotContain(facts.Filesystems, f => f.Mount.StartsWith("/proc", StringComparison.Ordinal) || f.Mount.StartsWith("/sys", StringComparison.Ordinal));
        Assert.Equal(facts.Filesystems.Count, facts.Filesystems.Select(f => f.Mount).Distinct().Count());
    }

    private static long MemTotalKiB() =>
        long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    /// <summary>
    /// tune2fs -l output made on a development machine (mkfs.ext4 of an image file, then tune2fs -c 30 -C 31, and -c -1),
    /// read by the script's own function through a tune2fs that prints it: the counts and the last check, in the host's zone.
    /// </summary>
    [Theory]
    [InlineData("tune2fs-l-ext4.txt", "CHECK\t0\t31\t30\t1796640518")]
    [InlineData("tune2fs-l-ext4-no-maximum.txt", "CHECK\t0\t31\t-1\t1796640518")]
    public void Real_tune2fs_output_gives_the_mount_count_its_maximum_and_the_last_check(string sample, string record)
    {
        using var bin = new TempDir();
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Providers", "Health", sample), bin["sample.txt"]);
        File.WriteAllText(bin["tune2fs"], $"#!/bin/sh\n[ \"$1\" = -l ] && [ \"$2\" = /dev/rc-test ] && cat '{bin["sample.txt"]}'\n");
        LocalShell.Run($"chmod 0755 '{bin["tune2fs"]}'");

        var run = LocalShell.Run($"PATH='{bin.Path}':$PATH; TZ=UTC; export TZ\n{HealthFactsParser.Functions}\nrc_hl_tune2fs 0 /dev/rc-test");

        Assert.Equal(record + "\n", run.Stdout);
        Assert.Equal(DateTimeOffset.Parse("2026-12-07T10:48:38Z", CultureInfo.InvariantCulture).ToUnixTimeSeconds(), long.Parse(record.Split('\t')[4], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_device_tune2fs_cannot_read_is_a_reason_not_an_error()
    {
        var run = LocalShell.Run($"{HealthFactsParser.Functions}\nrc_hl_tune2fs 3 /nonexistent/rc-device");

        Assert.Contains(run.Stdout, new[] { "CHECK\t3\t-\ttune2fs -l could not read its superblock\n", "CHECK\t3\t-\ttune2fs is not installed\n" });
    }

    /// <summary>
    /// A hung filesystem of a type the read does not leave out (a stalled block device, a cluster filesystem): stat -f sits
    /// in an uninterruptible wait and ignores TERM. Each stat is killed after 5 s and all of them stop at 15 s, the rest
    /// counted as left out, so the host's one read still answers within its time.
    /// </summary>
    [Fact]
    public void Filesystems_that_hang_stat_cost_the_read_at_most_its_deadline()
    {
        using var bin = new TempDir();
        File.WriteAllText(bin["stat"], "#!/bin/sh\ntrap '' TERM\nexec sleep 120\n");
        LocalShell.Run($"chmod 0755 '{bin["stat"]}'");
        var mounts = LocalShell.Lines(LocalShell.Run($"{HealthFactsParser.Functions}\nrc_hl_mounts").Stdout).Count - 1;
        Assert.True(mounts >= 1);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = LocalShell.Run($"PATH='{bin.Path}':$PATH\n{HealthFactsParser.Functions}\nrc_hl_filesystems");

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(28));
        Assert.Equal($"LEFT\t{mounts}\n", run.Stdout);
    }

    [Fact]
    public void A_small_hosts_answer_is_read_field_by_field()
    {
        var facts = HealthFactsParser.Parse(Small);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), facts.ReadAt);
        Assert.Equal(new MemoryFactsView(1000, 500, 200, 100), new MemoryFactsView(facts.Memory!.TotalKiB, facts.Memory.AvailableKiB, facts.Memory.FreeKiB, facts.Memory.InactiveKiB));
        Assert.Equal((3, 0.2, 2, TimeSpan.FromSeconds(12.5)), (facts.SynRecv, facts.Load!.Five, facts.Load.Cpus, facts.Uptime));
        var root = facts.Filesystems[0];
        Assert.Equal(("/", "/dev/sda1", "ext4", 4096000L, 2048000L, 100L, 50L), (root.Mount, root.Device, root.Type, root.SizeBytes, root.UsedBytes, root.Inodes, root.InodesUsed));
        Assert.Equal((3, -1, DateTimeOffset.FromUnixTimeSeconds(1700000000)), (root.Check.Count!.Value, root.Check.Maximum!.Value, root.Check.LastChecked!.Value));
        Assert.Equal("not an ext2/3/4 filesystem", facts.Filesystems[1].Check.NotAvailable);
    }

    private sealed record MemoryFactsView(long Total, long? Available, long Free, long Inactive);

    [Theory]
    [InlineData(@"/mnt/<script>alert(1)</script>", "/mnt/<script>alert(1)</script>")]
    [InlineData(@"/media/My\040Disk", "/media/My Disk")]
    [InlineData(@"/mnt/a\012b\011c", @"/mnt/a\nb\x09c")]
    [InlineData(@"/mnt/back\134slash\040\134012", @"/mnt/back\slash \012")]
    [InlineData("/mnt/\u001b[31mred", @"/mnt/\x1b[31mred")]
    [InlineData(@"/mnt/caf\303\251", "/mnt/café")]
    public void A_mount_point_a_host_names_comes_out_as_one_inert_line(string escaped, string shown)
    {
        var facts = HealthFactsParser.Parse([.. Small.Take(5), $"FS\t0\t{escaped}\ttmpfs\ttmpfs\t100\t50\t50\t4096\t10\t5", "LEFT\t0", "END"]);

        Assert.Equal(shown, facts.Filesystems[0].Mount);
        Assert.DoesNotContain(facts.Filesystems[0].Mount, c => char.IsControl(c));
    }

    public static TheoryData<string, string[]> Garbage => new()
    {
        { "no END", Small[..^1] },
        { "a record after END", [.. Small, "SYN\t1\tss"] },
        { "CLOCK twice", [.. Small[..1], .. Small] },
        { "an unknown record", [.. Small[..^1], "<script>\tx", "END"] },
        { "no CLOCK", Small[1..] },
        { "no LEFT", [.. Small[..^2], "END"] },
        { "CLOCK", ["CLOCK\tsoon", .. Small[1..]] },
        { "out of order", [.. Small[..5], "FS\t1\t/\t/dev/sda1\text4\t1\t1\t1\t4096\t1\t1", "CHECK\t1\t1\t1\t-", "LEFT\t0", "END"] },
        { "do not add up", [.. Small[..5], "FS\t0\t/\ttmpfs\ttmpfs\t10\t20\t1\t4096\t1\t1", "LEFT\t0", "END"] },
        { "no CHECK record", [.. Small[..5], "FS\t0\t/\t/dev/sda1\text4\t10\t1\t1\t4096\t1\t1", "LEFT\t0", "END"] },
        { "a CHECK record for no ext", [.. Small[..5], "FS\t0\t/\ttmpfs\ttmpfs\t10\t1\t1\t4096\t1\t1", "CHECK\t0\t1\t2\t-", "LEFT\t0", "END"] },
        { "a second one", [.. Small[..7], "CHECK\t0\t1\t2\t-", .. Small[7..]] },
        { "is not a count", [.. Small[..5], "FS\t0\t/\ttmpfs\ttmpfs\t-10\t1\t1\t4096\t1\t1", "LEFT\t0", "END"] },
        { "is not a count", [.. Small[..5], "FS\t0\t/\ttmpfs\ttmpfs\t99999999999999999999\t1\t1\t4096\t1\t1", "LEFT\t0", "END"] },
        { "larger than this reader counts", [.. Small[..5], "FS\t0\t/\ttmpfs\ttmpfs\t9223372036854775807\t1\t1\t4096\t1\t1", "LEFT\t0", "END"] },
        { "has the type", [.. Small[..5], "FS\t0\t/\ttmpfs\t<b>\t10\t1\t1\t4096\t1\t1", "LEFT\t0", "END"] },
        { "MEM", ["CLOCK\t1", "UPTIME\t1", "LOAD\t-", "MEM\t1\t2\t3", "SYN\t-", "LEFT\t0", "END"] },
        { "SYN", ["CLOCK\t1", "UPTIME\t1", "LOAD\t-", "MEM\t-", "SYN\t2\tnetstat", "LEFT\t0", "END"] },
        { "LOAD", ["CLOCK\t1", "UPTIME\t1", "LOAD\t1\t1\t1\t0", "MEM\t-", "SYN\t-", "LEFT\t0", "END"] },
        { "is not a figure", ["CLOCK\t1", "UPTIME\tNaN", "LOAD\t-", "MEM\t-", "SYN\t-", "LEFT\t0", "END"] },
        { "a CHECK record that is neither", [.. Small[..6], "CHECK\t0\tmany\t-1\t-", .. Small[7..]] },
        { "a line of", [.. Small[..^1], new string('x', 5000), "END"] },
        // Non-finite and enormous figures a hostile host may print: refused here, never an exception of another type
        // (which no host's error catches) and never a wrapped-around number on the page.
        { "is not a figure", ["CLOCK\t1", "UPTIME\t-Infinity", "LOAD\t-", "MEM\t-", "SYN\t-", "LEFT\t0", "END"] },
        { "is not a figure", ["CLOCK\t1", "UPTIME\tInfinity", "LOAD\t-", "MEM\t-", "SYN\t-", "LEFT\t0", "END"] },
        { "is not a figure", ["CLOCK\t1", "UPTIME\t-", "LOAD\t-Infinity\t-Infinity\t-Infinity\t1", "MEM\t-", "SYN\t-", "LEFT\t0", "END"] },
        { "is not a figure", ["CLOCK\t1", "UPTIME\t-", "LOAD\t-1\t-1\t-1\t1", "MEM\t-", "SYN\t-", "LEFT\t0", "END"] },
        { "MEM", ["CLOCK\t1", "UPTIME\t-", "LOAD\t-", "MEM\t1000\t9223372036854775807\t200\t100", "SYN\t-", "LEFT\t0", "END"] },
        { "MEM", ["CLOCK\t1", "UPTIME\t-", "LOAD\t-", "MEM\t1000\t500\t9223372036854775807\t9223372036854775807", "SYN\t-", "LEFT\t0", "END"] },
        { "MEM", ["CLOCK\t1", "UPTIME\t-", "LOAD\t-", "MEM\t9223372036854775807\t500\t200\t100", "SYN\t-", "LEFT\t0", "END"] },
        { "mount point twice", [.. Small[..5], "FS\t0\t/run\ttmpfs\ttmpfs\t10\t1\t1\t4096\t1\t1", "FS\t1\t/run\ttmpfs\ttmpfs\t10\t1\t1\t4096\t1\t1", "LEFT\t0", "END"] },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void What_the_script_does_not_print_is_malformed(string why, string[] lines)
    {
        var e = Assert.Throws<MalformedFactsException>(() => HealthFactsParser.Parse(lines));

        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void More_than_64_filesystems_is_malformed_and_figures_the_host_could_not_give_are_null()
    {
        var many = Enumerable.Range(0, 65).Select(i => $"FS\t{i}\t/m{i}\ttmpfs\ttmpfs\t10\t1\t1\t4096\t1\t1");
        Assert.Throws<MalformedFactsException>(() => HealthFactsParser.Parse([.. Small[..5], .. many, "LEFT\t0", "END"]));

        var bare = HealthFactsParser.Parse(["CLOCK\t1", "UPTIME\t-", "LOAD\t-", "MEM\t-", "SYN\t-", "LEFT\t7", "END"]);

        Assert.Equal((null, null, null, null, 7), (bare.Memory, bare.SynRecv, bare.Load, bare.Uptime, bare.FilesystemsLeftOut));
    }
}
