using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources;
using Reconciler.Core.Resources.Dovecot;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Shell;

/// <summary>
/// Shell as checked code, for every resource kind in the catalog, from the samples each kind's folder declares
/// (<see cref="IResourceKind.HostileSamples"/>, so a new kind needs no edit here): each string field of a resource is filled with hostile text (quotes,
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

    /// <summary>Every kind's hostile samples (<see cref="IResourceKind.HostileSamples"/>), each after its setup has run.</summary>
    private IEnumerable<HostileSample> Cases()
    {
        var hostile = new HostileText(_canaries, _scratch.Path) { Terminators = Terminators() };
        foreach (var sample in ResourceKinds.All.SelectMany(k => k.HostileSamples(hostile)))
        {
            if (sample.Setup is not null)
            {
                var setup = Run(sample.Setup);
                Assert.True(setup.ExitCode == 0, $"{sample.Name}: setup failed: {setup.Stderr}");
                AssertNothingExpanded($"{sample.Name} setup", setup);
            }

            yield return sample;
        }
    }

    private static readonly Regex HereDocument = new(@"<<-?[ \t]*\\?['""]?([A-Za-z_][A-Za-z0-9_]*)", RegexOptions.CultureInvariant);

    /// <summary>
    /// Every here-document delimiter in the scripts the kinds' samples generate (read, each change, each group step and
    /// effect), found in the scripts themselves: the hostile text then ends a line with each, whatever kind brought it.
    /// </summary>
    private IReadOnlyList<string> Terminators()
    {
        var probe = new HostileText(_canaries, _scratch.Path);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var c in ResourceKinds.All.SelectMany(k => k.HostileSamples(probe)))
        {
            var scripts = new List<string> { ProviderHarness.ReadScript(c.Provider, c.Resources) };
            var (resources, observed) = Expanded(c.Resources, c.Observed ?? c.Provider.ParseFacts(c.Resources, c.Answers()));
            var changes = resources.Select((r, i) => c.Provider.Diff(r, observed[i])).ToList();
            scripts.AddRange(resources.Select((r, i) => changes[i].Action.ChangesHost() ? c.Provider.ApplyScript(r, observed[i], changes[i]) : ""));
            if (ProviderHarness.Group(c.Provider, resources, observed, changes, c.Neighbors) is { } group)
            {
                scripts.AddRange(group.Steps.Select(s => s.Script).Concat(group.After.Select(e => e.Script ?? "")));
            }

            found.UnionWith(scripts.SelectMany(script => HereDocument.Matches(script).Select(m => m.Groups[1].Value)));
        }

        return found.ToList();
    }

    [Fact]
    public void The_hostile_text_ends_a_line_with_every_here_document_delimiter_the_scripts_use()
    {
        // Guards the discovery: the delimiters of dovecot's files and probes, ipset's restore and MariaDB's SQL.
        Assert.Superset(new SortedSet<string> { "RC_DC_EOF", "RC_DC_PROBES", "RC_IPSET", "RC_MARIADB_SQL" }, new SortedSet<string>(Terminators()));
    }

    [Fact]
    public void Every_resource_type_a_kind_plans_is_in_the_property_test()
    {
        var covered = Cases().SelectMany(c => c.Resources).Select(r => r.GetType()).ToHashSet();
        // Each sample's provider is the one the catalog registers for its resources.
        var registry = ResourceKinds.Registry();
        Assert.All(Cases(), c => Assert.All(c.Resources, r => Assert.Equal(registry.For(r).GetType(), c.Provider.GetType())));
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
            AssertSyntax(c.Name + " read", script);
            AssertCanariesLiteral(c.Name + " read", script);
            var result = Run(script);
            AssertNothingExpanded(c.Name + " read", result);
        }
    }

    [Fact]
    public void Every_apply_script_with_hostile_values_passes_sh_n_and_the_local_ones_expand_nothing_when_run()
    {
        foreach (var c in Cases())
        {
            var (resources, observed) = Expanded(c.Resources, c.Observed ?? (c.RunApply ? ReadLive(c) : c.Provider.ParseFacts(c.Resources, c.Answers())));
            var changes = resources.Select((r, i) => c.Provider.Diff(r, observed[i])).ToList();
            if (c.Provider is IMonitorProvider)
            {
                // A monitored kind (mail graphs, health rules) is read by drift and never applied: it has no apply script.
                Assert.All(changes, change => Assert.Equal(ChangeAction.NoOp, change.Action));
                continue;
            }

            // A kind that applies as a group is checked as the engine runs it: every step and every effect.
            var group = ProviderHarness.Group(c.Provider, resources, observed, changes, c.Neighbors);
            // A sample with neighbors is there for the effects that follow them: the test must see their scripts.
            Assert.True(c.Neighbors.Count == 0 || group?.After.Any(e => e.Script is not null) == true,
                $"{c.Name}: its neighbors made no group effect, so the scripts that follow them were not checked");
            // Each change alone too: a change a kind's group leaves out is applied with its own script.
            var scripts = resources.Select((r, i) => (r, changes[i].Action.ChangesHost() ? ProviderHarness.ApplyScript(c.Provider, r, observed[i], changes[i]) : null))
                .Concat(group is null ? [] : group.Steps.Select(s => (s.Member, (string?)ProviderHarness.Frame(s.Script)))
                    .Concat(group.After.Where(e => e.Script is not null).Select(e => (group.Steps[0].Member, (string?)ProviderHarness.Frame(e.Script!)))));
            var applied = 0;
            foreach (var (resource, script) in scripts)
            {
                if (script is null)
                {
                    continue;
                }

                applied++;
                var what = $"{c.Name} apply of {resource.GetType().Name}";
                AssertSyntax(what, script);
                AssertCanariesLiteral(what, script);
                if (c.RunApply)
                {
                    AssertNothingExpanded($"{c.Name} apply", Run(script));
                }
            }

            // The observed states must make apply do work, or this test would check nothing for the kind; a monitored kind
            // (health rules, mail graphs) is never applied, so its diff must say so instead.
            if (c.Provider is IMonitorProvider)
            {
                Assert.All(changes, change => Assert.Equal(ChangeAction.NoOp, change.Action));
                continue;
            }

            Assert.True(applied > 0, $"{c.Name}: no resource planned a change, so no apply script was checked");
        }
    }

    /// <summary>A glob's observation stands for its matches (as the engine plans them): each match with its own facts.</summary>
    private static (IReadOnlyList<Resource> Resources, IReadOnlyList<object> Observed) Expanded(IReadOnlyList<Resource> resources, IReadOnlyList<object> observed)
    {
        var pairs = resources.Zip(observed).SelectMany(p => p.Second is GlobMatches glob
            ? glob.Matches.Select(m => (m.Resource, m.Observed))
            : [(p.First, p.Second)]).ToList();
        return (pairs.Select(p => p.Item1).ToList(), pairs.Select(p => p.Item2).ToList());
    }

    private IReadOnlyList<object> ReadLive(HostileSample c)
    {
        var answers = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var query in c.Provider.Queries(c.Resources))
        {
            var result = Run(query.Script);
            Assert.True(result.ExitCode == 0, $"{c.Name} read failed: {result.Stderr}");
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
