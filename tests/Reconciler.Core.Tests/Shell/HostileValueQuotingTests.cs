using System.Diagnostics;
using System.Text;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources;
using Reconciler.Core.Resources.ConfigLines;
using Reconciler.Core.Resources.Dovecot;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Resources.Firewall;
using Reconciler.Core.Resources.MariaDb;
using Reconciler.Core.Resources.Network;
using Reconciler.Core.Resources.Permissions;
using Reconciler.Core.Resources.Postfix;
using Reconciler.Core.Resources.Sysctl;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Shell;

/// <summary>
/// Shell as checked code, for every resource kind: each string field of a resource is filled with hostile text (quotes,
/// <c>$(…)</c>, backticks, <c>;</c>, <c>*</c>, spaces, newlines, <c>%</c>, backslashes) — also where the schema would
/// refuse it, so the scripts do not rely on the reader's grammar; names the code itself refuses before any script
/// exists (sysctl keys and so ARP interface names, MariaDB identifiers) keep valid values — and every read and apply
/// script the providers generate must pass <c>sh -n</c>, and every canary in its text must be literal (single-quoted or
/// in a quoted here-document, read by <see cref="ShellQuoting"/>). Every read script, and the apply scripts of the kinds that only touch the paths they
/// name (file, config_line, permissions, whose paths here are inside a scratch directory), are also run with /bin/sh:
/// no canary command substitution may create its file and no <c>*</c> may be globbed. Apply scripts that would change
/// this machine's kernel, firewall or services (sysctl, dsr, firewall, MariaDB, postfix, dovecot) are syntax-checked
/// and read for quoting only here (the container tests run them on real hosts, with ordinary values).
/// </summary>
public sealed class HostileValueQuotingTests : IDisposable
{
    private static readonly SourceLocation At = new("hosts/hostile.yaml", 1, 1);
    private readonly TempDir _scratch = new();
    private readonly string _canaries;

    public HostileValueQuotingTests()
    {
        _canaries = _scratch["canaries"];
        Directory.CreateDirectory(_canaries);
        // A file a glob in the working directory or in the scratch directory would expand to.
        File.WriteAllText(_scratch["rc-glob-canary"], "");
    }

    public void Dispose() => _scratch.Dispose();

    /// <summary>
    /// Hostile text: every character the shell treats specially, two command substitutions that would each create a
    /// canary file, a bare and a path glob, and a newline followed by the here-document terminators the scripts use.
    /// </summary>
    private string Hostile(string tag, bool newlines = true) =>
        $"{tag} q' d\" $(touch {_canaries}/dollar-{tag}) `touch {_canaries}/tick-{tag}` ; * {_scratch.Path}/* % \\ \\n $HOME ${{x}} & | < > #"
        + (newlines ? $"\nRC_DC_EOF\nRC_IPSET\nRC_MARIADB_SQL\n$(touch {_canaries}/line-{tag})\n" : "");

    /// <summary>One line of hostile text (for fields whose grammar rules out newlines even in the providers' own checks).</summary>
    private string HostileLine(string tag) => Hostile(tag, newlines: false);

    /// <summary>A kind's resources and the facts (or, where simpler, the observed states) that make its apply do work.</summary>
    /// <summary>What a MariaDB column definition may hold: no ';', backtick, backslash or line break (its schema pattern).</summary>
    private string HostileDefinition(string tag) => $"varchar(255) DEFAULT 'q'' d\" $(touch {_canaries}/dollar-{tag}) * {_scratch.Path}/* % $HOME'";

    private sealed record Case(string Kind, IResourceProvider Provider, IReadOnlyList<Resource> Resources, IReadOnlyList<(string? Unit, IReadOnlyList<string> Lines)> Facts, bool RunApply)
    {
        public IReadOnlyList<object>? Observed { get; init; }
    }

    private IEnumerable<Case> Cases()
    {
        var dir = Path.Combine(_scratch.Path, "d " + HostileLine("dir").Replace("/", "_", StringComparison.Ordinal));
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "f " + HostileLine("file").Replace("/", "_", StringComparison.Ordinal));
        var conf = Path.Combine(dir, "c " + HostileLine("conf").Replace("/", "_", StringComparison.Ordinal));
        File.WriteAllText(conf, "Key 1\n");
        var loose = Path.Combine(dir, "p " + HostileLine("perm").Replace("/", "_", StringComparison.Ordinal));
        File.WriteAllText(loose, "");
        Exec("/bin/chmod", ["0666", "--", loose], _scratch.Path);

        yield return new Case("file", new FileProvider(),
            [new FileResource(file, FileType.File, Ensure.Present, WhenMissing.Create, Hostile("content"), null, null, "0640", null, false, At)],
            [], RunApply: true);
        yield return new Case("config_line", new ConfigLineProvider(),
            [new ConfigLineResource(conf, HostileLine("key"), HostileLine("value"), " ", At)],
            [], RunApply: true);
        yield return new Case("permissions", new PermissionsProvider(),
            [new PermissionsResource(dir, true, "o-w", [Path.Combine(dir, HostileLine("exclude"))], At)],
            [], RunApply: true);
        yield return new Case("sysctl", new SysctlProvider(),
            [new SysctlResource("net.ipv4.ip_forward", Hostile("sysctl-value"), At)],
            [(SysctlFacts.LiveUnit, ["L\t0\t0"]), (null, ["M\t0"])], RunApply: false);
        yield return new Case("ipset", new BlockSetProvider(),
            [new BlockSetResource(HostileLine("set"), IpFamily.Ipv4, ["10.0.0.1", HostileLine("entry")], At)],
            [], RunApply: false)
        {
            Observed = [new BlockSetObserved(true, "hash:net", "inet", new HashSet<string> { "10.9.9.9" }, null, true)],
        };
        yield return new Case("iptables", new FirewallChainProvider(),
            [new FirewallChainResource(IpFamily.Ipv4, [Hostile("rule")], [HostileLine("chain-set")], At)],
            [], RunApply: false);
        // Interface names cannot carry hostile text: SysctlKey refuses any key outside its grammar before a script exists.
        yield return new Case("dsr.arp", new ArpProvider(),
            [new ArpSettingsResource(1, 2, ["all", "lo"], At)],
            [(SysctlFacts.LiveUnit, ["L\t0\t0", "L\t1\t0", "L\t2\t0", "L\t3\t0"])], RunApply: false);
        yield return new Case("dsr.vip", new LoopbackVipProvider(),
            [new LoopbackVipResource("192.0.2.100", HostileLine("label"), true, At)],
            [(null, ["X", "A\tall\t1\t2", "A\tdefault\t0\t0", "A\tlo\t0\t0", "O\tdebian", "S"])], RunApply: false);
        // MariaDB names (databases, tables, columns, users' hosts, charsets) are refused by MariaDbNames outside their
        // grammar before any SQL exists; passwords, cell values and column definitions carry the hostile text.
        yield return new Case("mariadb", new MariaDbProvider(),
            [
                new MariaDbDatabaseResource("rc_db", "utf8mb4", null, At),
                new MariaDbUserResource("rc_user", "local%host", Hostile("password"), [new MariaDbGrant("rc_db", null, ["SELECT"])], At),
                new MariaDbTableResource("rc_db", "rc_table", [new MariaDbColumn("rc_col", HostileDefinition("definition"))], ["rc_col"], At),
                new MariaDbRowsResource("rc_db", "rc_table", ["rc_col"], false,
                    [new MariaDbRow([new MariaDbCell("rc_col", MariaDbValue.Plain(Hostile("cell")))], At)], At),
            ],
            [], RunApply: false);
        yield return new Case("postfix", new PostfixProvider(),
            [
                new PostfixMainResource(HostileLine("parameter"), Hostile("main-value"), At),
                new PostfixMasterResource(HostileLine("service"), HostileLine("type"), "n", "-", "y", "-", "-", HostileLine("command"), [Hostile("arg")], At),
                new PostfixMapResource(HostileLine("map") + ".cf", "mysql", [new("hosts", Hostile("hosts")), new("query", Hostile("query"))], Hostile("map-password"),
                    new PostfixMapProbe(Hostile("probe-key"), Hostile("probe-expect")), At),
            ],
            [(null, ["I"])], RunApply: false);
        yield return new Case("dovecot", new DovecotProvider(),
            [
                new DovecotFileResource("/etc/dovecot/conf.d/" + HostileLine("rel").Replace("/", "_", StringComparison.Ordinal), Hostile("dovecot-content"), "root", "dovecot", "0640", false, At),
                new DovecotFileResource("/etc/dovecot/conf.d/" + HostileLine("rel2").Replace("/", "_", StringComparison.Ordinal), Hostile("dovecot-content2"), "root", "dovecot", "0640", false, At),
                new DovecotProbeResource(HostileLine("login"), Hostile("login-password"), At),
            ],
            [(null, ["I"]), (FileFacts.Unit, ["N\t0", "N\t1"])], RunApply: false);
    }

    [Fact]
    public void Every_resource_type_a_kind_plans_is_in_the_property_test()
    {
        var covered = Cases().SelectMany(c => c.Resources).Select(r => r.GetType()).ToHashSet();
        // Every type of every kind in the catalog that one of the kind's providers serves (a firewall section is joined
        // into sets and chains before planning, so no script ever holds it).
        var planned = ResourceKinds.All
            .SelectMany(k => k.ResourceTypes.Where(t => k.CreateProviders().Any(p => p.ResourceType.IsAssignableFrom(t))))
            .ToHashSet();

        Assert.Contains(typeof(DovecotProbeResource), planned);
        Assert.Empty(planned.Except(covered).Select(t => t.Name));
    }

    [Fact]
    public void Every_read_script_with_hostile_values_passes_sh_n_and_expands_nothing_when_run()
    {
        foreach (var c in Cases())
        {
            var script = ProviderHarness.ReadScript(c.Provider, c.Resources);
            AssertSyntax(c.Kind + " read", script);
            AssertCanariesLiteral(c.Kind + " read", script);
            var result = Run(script);
            AssertNothingExpanded(c.Kind + " read", result);
        }
    }

    [Fact]
    public void Every_apply_script_with_hostile_values_passes_sh_n_and_the_local_ones_expand_nothing_when_run()
    {
        foreach (var c in Cases())
        {
            var observed = c.Observed ?? (c.RunApply
                ? ReadLive(c)
                : c.Provider.ParseFacts(c.Resources, ProviderHarness.Answers(c.Provider, c.Resources, c.Facts.Select(f => (f.Unit ?? c.Provider.Kind, f.Lines)).ToArray())));
            var changes = c.Resources.Select((r, i) => c.Provider.Diff(r, observed[i])).ToList();
            // A kind that applies as a group is checked as the engine runs it: every step and every effect.
            var group = ProviderHarness.Group(c.Provider, c.Resources, observed, changes);
            var scripts = group is null
                ? c.Resources.Select((r, i) => (r, changes[i].Action.ChangesHost() ? ProviderHarness.ApplyScript(c.Provider, r, observed[i], changes[i]) : null))
                : group.Steps.Select(s => (s.Member, (string?)ProviderHarness.Frame(s.Script)))
                    .Concat(group.After.Where(e => e.Script is not null).Select(e => (group.Steps[0].Member, (string?)ProviderHarness.Frame(e.Script!))));
            var applied = 0;
            foreach (var (resource, script) in scripts)
            {
                if (script is null)
                {
                    continue;
                }

                applied++;
                var i = c.Resources.ToList().IndexOf(resource);
                AssertSyntax($"{c.Kind} apply of {c.Resources[i].GetType().Name}", script);
                AssertCanariesLiteral($"{c.Kind} apply of {c.Resources[i].GetType().Name}", script);
                if (c.RunApply)
                {
                    AssertNothingExpanded($"{c.Kind} apply", Run(script));
                }
            }

            // The observed states must make apply do work, or this test would check nothing for the kind.
            Assert.True(applied > 0, $"{c.Kind}: no resource planned a change, so no apply script was checked");
        }
    }

    private IReadOnlyList<object> ReadLive(Case c)
    {
        var answers = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var query in c.Provider.Queries(c.Resources))
        {
            var result = Run(query.Script);
            Assert.True(result.ExitCode == 0, $"{c.Kind} read failed: {result.Stderr}");
            answers[query.Unit] = LocalShell.Lines(result.Stdout);
        }

        return c.Provider.ParseFacts(c.Resources, new FactAnswers(answers));
    }

    private static void AssertSyntax(string what, string script)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, script, new UTF8Encoding(false));
            var result = Exec("/bin/sh", ["-n", path], Path.GetTempPath());
            Assert.True(result.ExitCode == 0, $"{what}: sh -n refused the script: {result.Stderr}\n{script}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Every canary command substitution in the script text is single-quoted or in a quoted here-document.</summary>
    private void AssertCanariesLiteral(string what, string script)
    {
        var exposed = ShellQuoting.ExpandableOccurrences(script, "touch " + _canaries);
        Assert.True(exposed.Count == 0,
            $"{what}: a hostile value is open to the shell at {string.Join(", ", exposed.Select(at => script[Math.Max(0, at - 80)..Math.Min(script.Length, at + 40)].ReplaceLineEndings(" ")))}");
    }

    [Theory]
    [InlineData("echo '$(touch X)'", 0)]
    [InlineData("echo \"$(touch X)\"", 1)]
    [InlineData("rc_fail \"swap ($(touch X); restored)\" \"$m\"", 1)]
    [InlineData("a=\"$(printf '%s' \"$x\")\"'$(touch X)'\"b\"", 0)]
    [InlineData("cat <<'E'\n$(touch X)\nE\necho ok", 0)]
    [InlineData("cat <<E\n$(touch X)\nE\necho ok", 1)]
    [InlineData("cat <<'E'\nx\nE\n$(touch X)", 1)]
    [InlineData("x=$(cat <<'E'\n`touch X`\nE\n)", 0)]
    [InlineData("# `touch X` in a comment\necho `touch X`", 1)]
    public void The_quoting_reader_tells_literal_text_from_expandable_text(string script, int expandable)
    {
        Assert.Equal(expandable, ShellQuoting.ExpandableOccurrences(script, "touch X").Count);
    }

    private void AssertNothingExpanded(string what, ScriptResult result)
    {
        Assert.True(Directory.GetFiles(_canaries).Length == 0,
            $"{what}: a hostile value was executed: {string.Join(", ", Directory.GetFiles(_canaries).Select(Path.GetFileName))}\n{result.Stdout}{result.Stderr}");
        Assert.DoesNotContain("rc-glob-canary", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>/bin/sh in the scratch directory (a glob of the working directory would name its canary file).</summary>
    private ScriptResult Run(string script) => Exec("/bin/sh", ["-c", "LC_ALL=C; export LC_ALL\n" + script], _scratch.Path);

    private static ScriptResult Exec(string file, IReadOnlyList<string> args, string workingDirectory)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within 60 s");
        }

        return new ScriptResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
