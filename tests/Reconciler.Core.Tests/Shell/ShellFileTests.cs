using System.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Tests.Shell;

/// <summary>
/// Shell as checked code: every <c>.sh</c> file embedded in Reconciler.Core (found by enumerating the assembly's
/// resources, so a new file is covered without touching this test) must parse with <c>sh -n</c> (dash, the /bin/sh of
/// Debian hosts) and pass <c>shellcheck -s sh</c> (installed by scripts/setup-docker.sh). The checks run on the files
/// as stored, placeholders and all; both checkers are shown to reject broken shell, so a pass means something.
/// </summary>
public class ShellFileTests
{
    /// <summary>The libraries that must be there; more may be added (and are checked) without changing this list.</summary>
    private static readonly string[] Known =
    [
        "rc-write.sh", "service-control.sh", "script-envelope.sh", "dovecot-transaction.sh", "postfix-transaction.sh",
        "firewall-destroy.sh", "firewall-persist.sh", "firewall-snapshot.sh", "firewall-restore.sh",
        "dsr-list-lo.sh", "dsr-snapshot-save.sh", "dsr-snapshot-restore.sh", "mariadb-client.sh",
    ];

    /// <summary>
    /// Excluded everywhere: each file is a library pasted into a larger script, so it reads variables that script sets
    /// (SC2154, e.g. rc_pf_stage) and sets variables that script reads (SC2034, e.g. rc_my).
    /// </summary>
    private static readonly string[] SharedVariables = ["SC2154", "SC2034"];

    /// <summary>Excluded in one file only, each for a line that is right as it stands.</summary>
    private static readonly Dictionary<string, string[]> FileExclusions = new(StringComparer.Ordinal)
    {
        // "exit @RC_NO_TEMPORARY_FILE@" is a number once filled (SC2242); "rc_env_detach=nohup" stores a command name
        // that is run as $rc_env_detach (SC2209).
        ["script-envelope.sh"] = ["SC2242", "SC2209"],
        // "for rc_f in @RC_DSR_FILE_GLOBS@" is one word until DsrSnapshot fills in the globs (SC2043).
        ["dsr-snapshot-save.sh"] = ["SC2043"],
        // The same loop (SC2043), and "set -- $rc_l", which splits a saved line into its fields on purpose (SC2086).
        ["dsr-snapshot-restore.sh"] = ["SC2043", "SC2086"],
    };

    public static IEnumerable<object[]> EmbeddedFiles() => ShellFiles.Embedded().Select(name => new object[] { name });

    [Fact]
    public void The_embedded_shell_files_include_every_known_library()
    {
        var embedded = ShellFiles.Embedded();
        Assert.NotEmpty(embedded);
        Assert.All(Known, name => Assert.Contains(name, embedded));
    }

    [Fact]
    public void Every_sh_file_in_the_core_project_is_embedded()
    {
        // A .sh file left out of the EmbeddedResource glob would be neither sent nor checked.
        var core = Path.Combine(Reconciler.Tests.Shared.TestRepository.Root, "src", "Reconciler.Core");
        var onDisk = Directory.EnumerateFiles(core, "*.sh", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => Path.GetFileName(p))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(onDisk, ShellFiles.Embedded());
    }

    [Theory]
    [MemberData(nameof(EmbeddedFiles))]
    public void Every_embedded_shell_file_parses_with_sh_n(string name)
    {
        var result = Run("/bin/sh", ["-n"], ShellFiles.Raw(name));
        Assert.True(result.ExitCode == 0, $"sh -n refused {name}: {result.Stderr}");
    }

    [Theory]
    [MemberData(nameof(EmbeddedFiles))]
    public void Every_embedded_shell_file_passes_shellcheck(string name)
    {
        var excluded = SharedVariables.Concat(FileExclusions.GetValueOrDefault(name, [])).ToList();
        var result = ShellCheck(ShellFiles.Raw(name), excluded);
        Assert.True(result.ExitCode == 0, $"shellcheck -s sh found problems in {name}:\n{result.Stdout}{result.Stderr}");
    }

    [Fact]
    public void Every_exclusion_names_an_embedded_file()
    {
        Assert.All(FileExclusions.Keys, name => Assert.Contains(name, ShellFiles.Embedded()));
    }

    [Fact]
    public void The_checkers_reject_broken_shell()
    {
        const string Broken = "if then fi\n";
        var sh = Run("/bin/sh", ["-n"], Broken);
        Assert.NotEqual(0, sh.ExitCode);
        Assert.Contains("Syntax error", sh.Stderr, StringComparison.OrdinalIgnoreCase);

        var syntax = ShellCheck(Broken, SharedVariables);
        Assert.NotEqual(0, syntax.ExitCode);

        // Valid for bash, not for a POSIX sh: "==" in [ ] is SC3014, so -s sh is what the hosts' dash would run.
        var bashism = ShellCheck("x=1\nif [ \"$x\" == 1 ]; then echo one; fi\n", SharedVariables);
        Assert.NotEqual(0, bashism.ExitCode);
        Assert.Contains("SC3014", bashism.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_embedded_fails_loudly_with_its_name()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ShellFiles.Load("no-such-library.sh"));
        Assert.Contains("no-such-library.sh is not embedded in Reconciler.Core", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Notes_at_the_top_are_not_sent_and_the_code_is()
    {
        var raw = ShellFiles.Raw("rc-write.sh");
        Assert.StartsWith("## ", raw, StringComparison.Ordinal);
        var sent = ShellFiles.Load("rc-write.sh");
        Assert.DoesNotContain("## ", sent, StringComparison.Ordinal);
        Assert.StartsWith("# rc_unlock PATH:", sent, StringComparison.Ordinal);
        Assert.EndsWith("}", sent, StringComparison.Ordinal);
        // Sent with the path rule its writers enforce, carried so a fragment run as another user has both (PathSafety).
        Assert.Equal(PathSafety.Carry(sent + "\n" + PathSafety.Functions), ShellLibrary.Source);
    }

    [Fact]
    public void A_caller_and_its_file_must_agree_on_placeholders()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            ShellFiles.Fill("dsr-snapshot-save.sh", new Dictionary<string, string> { ["RC_DSR_LIST_LO"] = "true", ["RC_TYPO"] = "x" }));
        Assert.Contains("no value for [RC_DSR_FILE_GLOBS]", e.Message, StringComparison.Ordinal);
        Assert.Contains("no placeholder for [RC_TYPO]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Placeholders_are_filled_once_and_a_value_is_never_searched_for_more()
    {
        var script = ScriptEnvelope.Wrap("echo '@RC_NONCE@ @RC_BODY@'", "/run/x");
        Assert.Contains("echo '@RC_NONCE@ @RC_BODY@'", script, StringComparison.Ordinal);
        Assert.DoesNotContain("RC_RUN_@", script, StringComparison.Ordinal);
        Assert.Contains("rc_env_root='/run/x'", script, StringComparison.Ordinal);
        Assert.Contains($"exit {ScriptEnvelope.NoTemporaryFile}; }}", script, StringComparison.Ordinal);
        Assert.Contains($"rc_env_rc={ScriptEnvelope.NoResult}; fi", script, StringComparison.Ordinal);
        Assert.Contains("( sleep 30;", script, StringComparison.Ordinal);
        Assert.Equal(0, Run("/bin/sh", ["-n"], script).ExitCode);
    }

    private static ScriptResult ShellCheck(string script, IReadOnlyList<string> excluded)
    {
        if (!File.Exists("/usr/bin/shellcheck"))
        {
            Assert.Fail("shellcheck is not installed: scripts/setup-docker.sh installs it (apt-get install shellcheck)");
        }

        return Run("/usr/bin/shellcheck", ["-s", "sh", "-f", "gcc", "-e", string.Join(',', excluded), "-"], script);
    }

    private static ScriptResult Run(string file, IReadOnlyList<string> args, string stdin)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within 60 s");
        }

        return new ScriptResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
