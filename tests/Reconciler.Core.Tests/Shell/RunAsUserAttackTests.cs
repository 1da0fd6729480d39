using System.Diagnostics;
using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Shell;
using Reconciler.Core.Tests.Support;
using static Reconciler.Core.Tests.Support.ProviderHarness;

namespace Reconciler.Core.Tests.Shell;

/// <summary>
/// Hostile review of issue 15, item 2 (attacks; both tests are expected to FAIL until rc_as is changed). rc_as (rc-path.sh)
/// runs a change as the user who controls the path by passing the whole fragment — the file's content, base64 — as an
/// argument of setpriv and sh. Arguments are in /proc/PID/cmdline, which every local user can read (ps auxww), and one
/// argument may hold at most 128 KiB (MAX_ARG_STRLEN): so (1) any local user sees the content of a sensitive file written
/// into another user's directory, and (2) an honest file of ~90 KB or more in a user's directory cannot be written.
/// User 65534 (nobody) controls the directory, as in PathSafetyShellTests. The apply script is run from a file with
/// /bin/sh, as the host runs it from stdin (LocalShell passes scripts as an argument, which has the same 128 KiB limit).
/// </summary>
public sealed class RunAsUserAttackTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static ScriptResult RunFile(string script, string? pathPrefix = null)
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "LC_ALL=C; export LC_ALL\n" + (pathPrefix is null ? "" : $"PATH={pathPrefix}:$PATH; export PATH\n") + script);
        try
        {
            var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(file);
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(30_000));
            return new ScriptResult(process.ExitCode, stdout.Result, stderr.Result);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>A file in a directory nobody controls, planned live: written as nobody by rc_as.</summary>
    private (FileResource File, object Observed, ResourceChange Change) PlanUsersFile(string content, bool sensitive)
    {
        LocalShell.Run($"mkdir -p '{_dir["home/u"]}' && chown 65534 '{_dir["home/u"]}'");
        var file = Res.File(_dir["home/u/f"], content, sensitive: sensitive);
        var (observed, change) = PlanLive(new FileProvider(), file);
        Assert.Equal(new PathController("65534", "nobody"), ((FileFacts)observed).ControlledBy);
        return (file, observed, change);
    }

    [Fact]
    public void A_sensitive_file_written_as_the_controlling_user_never_appears_in_any_process_arguments()
    {
        const string secret = "db_password=Sup3rS3cretValue\n";
        var (file, observed, change) = PlanUsersFile(secret, sensitive: true);
        // A setpriv in front of the real one records its arguments: what /proc/PID/cmdline shows every local user.
        var bin = _dir["bin"];
        var log = _dir["argv.log"];
        Directory.CreateDirectory(bin);
        File.WriteAllText(bin + "/setpriv", $"#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{log}'; done\nexec /usr/bin/setpriv \"$@\"\n");
        LocalShell.Run($"chmod 0755 '{bin}/setpriv'");

        var result = RunFile(ApplyScript(new FileProvider(), file, observed, change), bin);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(secret, File.ReadAllText(_dir["home/u/f"]));
        var arguments = File.ReadAllText(log);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)), arguments);
        Assert.DoesNotContain("Sup3rS3cretValue", arguments);
    }

    [Fact]
    public void An_honest_200_KB_file_in_a_users_directory_is_written()
    {
        var content = string.Concat(Enumerable.Repeat("# a line of an honest configuration file, ~64 bytes long....\n", 3300));
        var (file, observed, change) = PlanUsersFile(content, sensitive: false);

        var result = RunFile(ApplyScript(new FileProvider(), file, observed, change));

        Assert.True(result.ExitCode == 0, $"apply failed ({result.ExitCode}): {result.Stderr}");
        Assert.Equal(content, File.ReadAllText(_dir["home/u/f"]));
    }

    [Fact]
    public void A_read_as_the_controlling_user_passes_on_only_records_of_its_own_resource()
    {
        // Given a file nobody controls (resource 0) and a root file (resource 1). The process that reads as nobody runs
        // as nobody, who may ptrace it (where Yama allows) and so make it print anything on root's fact output: a
        // setpriv in front of the real one plays that process, printing a forged record of resource 1 and a line that is
        // no record at all before it becomes nobody. (Reopening its output through /proc/PID/fd fails: the pipe is root's.)
        LocalShell.Run($"mkdir -p '{_dir["home/u"]}' && chown 65534 '{_dir["home/u"]}'");
        File.WriteAllText(_dir["home/u/f"], "users file\n");
        File.WriteAllText(_dir["root.conf"], "root file\n");
        var bin = _dir["bin"];
        Directory.CreateDirectory(bin);
        File.WriteAllText(bin + "/setpriv", "#!/bin/sh\nprintf 'H\\t1\\tforged\\n--- section forged ---\\n'\nexec /usr/bin/setpriv \"$@\"\n");
        LocalShell.Run($"chmod 0755 '{bin}' '{bin}/setpriv'");
        var users = Res.File(_dir["home/u/f"], "users file\n");
        var roots = Res.File(_dir["root.conf"], "root file\n");

        // When the read script runs
        var result = RunFile(ProviderHarness.ReadScript(((IResourceProvider)new FileProvider()), [users, roots]), bin);

        // Then no forged record of resource 1 reached the fact output, and its digest is the real one
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.DoesNotContain("forged", result.Stdout);
        Assert.Contains("T\t0\t", result.Stdout);
        var facts = FileFacts.Parse(new FactAnswers(new Dictionary<string, IReadOnlyList<string>> { [FileFacts.Unit] = LocalShell.Lines(result.Stdout) }), 2);
        Assert.Equal(("users file\n", "root file\n"), (facts[0].Live!.Text, facts[1].Live!.Text));
    }
    /// <summary>A read of a file nobody controls, with <paramref name="setpriv"/> standing in front of the real setpriv.</summary>
    private ScriptResult ReadUsersFileThrough(string setpriv, int seconds = 120)
    {
        LocalShell.Run($"mkdir -p '{_dir["home/u"]}' && chown 65534 '{_dir["home/u"]}'");
        File.WriteAllText(_dir["home/u/f"], "users file\n");
        var bin = _dir["bin"];
        Directory.CreateDirectory(bin);
        File.WriteAllText(bin + "/setpriv", "#!/bin/sh\n" + setpriv + "\nexec /usr/bin/setpriv \"$@\"\n");
        LocalShell.Run($"chmod 0755 '{bin}' '{bin}/setpriv'");
        var script = ProviderHarness.ReadScript((IResourceProvider)new FileProvider(), [Res.File(_dir["home/u/f"], "users file\n")]);
        Assert.Contains("rc_as_seconds=120", script);
        return RunFile(script.Replace("rc_as_seconds=120", $"rc_as_seconds={seconds}", StringComparison.Ordinal), bin);
    }

    [Fact]
    public void A_line_without_end_from_the_user_s_process_is_cut_before_root_holds_it()
    {
        // The user's process prints a 3 MiB record of its own resource: root's filter must not hold it whole.
        var result = ReadUsersFileThrough("printf 'H\\t0\\t'; head -c 3145728 /dev/zero | tr '\\0' a; printf '\\n'");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var longest = result.Stdout.Split('\n').Max(l => l.Length);
        Assert.InRange(longest, 1024 * 1024 - 1, 1024 * 1024);
    }

    [Fact]
    public void A_user_s_process_that_ignores_termination_is_killed_by_root_and_the_read_ends()
    {
        var result = ReadUsersFileThrough("trap '' TERM; sleep 600", seconds: 2);

        // No content record of the resource: the read was killed before the text (T) or a digest (H) came back.
        Assert.DoesNotContain("T\t0\t", result.Stdout);
        Assert.DoesNotContain("H\t0\t", result.Stdout);
    }

    [Fact]
    public void A_process_that_leaves_the_group_holding_the_output_open_does_not_keep_root_reading()
    {
        try
        {
            var result = ReadUsersFileThrough("setsid sleep 613 &", seconds: 2);

            Assert.True(result.ExitCode == 0, result.Stderr);
            Assert.Contains("T\t0\t", result.Stdout);
        }
        finally
        {
            LocalShell.Run("pkill -f 'sleep 613' || true");
        }
    }
}
