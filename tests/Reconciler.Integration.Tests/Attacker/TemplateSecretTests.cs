using System.Diagnostics;
using System.Text;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests.Attacker;

/// <summary>
/// A pull request's templates against the plan job's secrets and the controller's memory and time, through the real CLI.
/// Template code never sees a secret (only an opaque token it may place in the output), so no error, annotation or
/// failing line can carry one; and template work is bounded for the whole run, so neither large strings kept by one
/// template nor many slow renders can crash or stall validate. An honest template still places the secret, as it is and
/// in base64, and the host gets exactly those bytes.
/// </summary>
public sealed class TemplateSecretTests : IAsyncLifetime
{
    private const string Secret = "23fac2adc062b277ks";

    private DebianHost _host = null!;
    private SpecsWorkspace _specs = null!;

    public async Task InitializeAsync()
    {
        _host = await DebianHost.StartAsync();
        _specs = SpecsWorkspace.Create();
        await _specs.WriteInventoryAsync([("web1", _host, DebianHost.RootUser, "hardened")]);
    }

    public async Task DisposeAsync()
    {
        _specs.Dispose();
        await _host.DisposeAsync();
    }

    private static readonly Dictionary<string, string> ActionsWithSecret = new()
    {
        ["RECONCILER_SECRET_DB_PASSWORD"] = Secret,
        ["GITHUB_ACTIONS"] = "true",
    };

    /// <summary>The secret as the attacks transform it, and the encodings a reader of the output would look for.</summary>
    private static IEnumerable<string> Forms()
    {
        var reversed = new string(Secret.Reverse().ToArray());
        foreach (var form in new[] { Secret, reversed, string.Join(",", Secret.ToCharArray()), Secret.ToUpperInvariant(), Secret[..9], Secret[9..], reversed[..9] })
        {
            yield return form;
            yield return Convert.ToBase64String(Encoding.UTF8.GetBytes(form));
        }
    }

    [Fact]
    public async Task Templates_that_transform_compare_or_measure_a_secret_are_refused_at_fixed_lines_and_print_no_form_of_it()
    {
        // Given: the attacks that made the last review's plan job print the secret — reverse/split/join it and hand it to
        // a failing function; 18 templates each comparing one character and failing on a match (the error-line oracle);
        // its size; its characters as a list — each in its own file for web1
        var yaml = new StringBuilder("kind: resources\ntarget: { host: web1 }\nfiles:\n");
        void Template(string name, string text)
        {
            _specs.Write($"attack/{name}", text);
            yaml.Append($"  - path: /etc/attack-{name.Replace('.', '-')}\n    template: {name}\n");
        }

        Template("timespan.sbn", "{{ (secret \"db_password\" | string.split \"\" | array.reverse | array.join \"\") | timespan.parse }}\n");
        Template("date.sbn", "{{ date.parse (secret \"db_password\" | string.replace \"a\" \"-\") }}\n");
        for (var i = 0; i < 18; i++)
        {
            var oracle = new StringBuilder();
            foreach (var candidate in "0123456789abcdefks")
            {
                oracle.Append($"{{{{ if (secret \"db_password\" | string.slice {i} 1) == \"{candidate}\" }}}}{{{{ 1 | date.parse }}}}{{{{ end }}}}\n");
            }

            Template($"oracle{i:00}.sbn", oracle.ToString());
        }

        Template("size.sbn", "{{ secret \"db_password\" | string.size }}\n");
        Template("list.sbn", "{{ for c in (secret \"db_password\" | string.split \"\") }}{{ c }}{{ end }}\n{{ [secret \"db_password\"] | array.size }}\n");
        _specs.Write("attack/attack.yaml", yaml.ToString());
        var hostBefore = (await _host.ExecAsync("ls /etc | sha256sum")).Stdout;

        // When: validate and plan run as in the pull request's job (secret in the environment, annotations on)
        var validate = await CliRun.ExecWithEnvironmentAsync(ActionsWithSecret, "validate", "--specs", _specs.Directory);
        var plan = await CliRun.ExecWithEnvironmentAsync(ActionsWithSecret, "plan", "--specs", _specs.Directory);

        foreach (var run in new[] { validate, plan })
        {
            // Then: refused before any render, each at the secret's own place, as an error line and as an annotation
            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Contains("attack/timespan.sbn:1:5: error RC3016: a secret can only be written to the output", run.Stderr);
            Assert.Contains("::error file=", run.Stdout);
            Assert.Contains("attack/date.sbn:1:16: error RC3016: a secret can only be written to the output", run.Stderr);
            Assert.Contains("attack/size.sbn:1:4: error RC3016: a secret can only be written to the output", run.Stderr);
            Assert.Contains("attack/list.sbn:1:14: error RC3016: ", run.Stderr);
            Assert.Contains("attack/list.sbn:2:5: error RC3016: ", run.Stderr);
            for (var i = 0; i < 18; i++)
            {
                // Every line of every oracle is an error, whatever the secret: no line number depends on a character.
                for (var line = 1; line <= 18; line++)
                {
                    Assert.Contains($"attack/oracle{i:00}.sbn:{line}:8: error RC3016: ", run.Stderr);
                }
            }

            // And: no template ran (no runtime error), no host was contacted, and no form of the secret was printed
            Assert.DoesNotContain("TimeSpan", run.Stdout + run.Stderr);
            Assert.DoesNotContain("was not recognized", run.Stdout + run.Stderr);
            Assert.Equal(0, run.Traffic.Connections);
            foreach (var form in Forms())
            {
                Assert.DoesNotContain(form, run.Stdout + run.Stderr, StringComparison.OrdinalIgnoreCase);
            }
        }

        Assert.Equal(hostBefore, (await _host.ExecAsync("ls /etc | sha256sum")).Stdout);
    }

    [Fact]
    public async Task An_honest_template_places_the_secret_and_its_base64_and_the_host_gets_exactly_those_bytes()
    {
        // Given: a template that writes the secret as it is and in base64, only through the permitted forms
        _specs.Write("templates/app.sbn", "user = {{ host.name }}\npassword = {{ secret \"db_password\" }}\nencoded = {{ secret \"db_password\" \"base64\" }}\n");
        _specs.Write("app.yaml", "kind: resources\ntarget: { host: web1 }\nfiles:\n  - path: /etc/app.conf\n    template: templates/app.sbn\n    mode: \"0600\"\n");
        var environment = new Dictionary<string, string> { ["RECONCILER_SECRET_DB_PASSWORD"] = Secret };
        var expected = $"user = web1\npassword = {Secret}\nencoded = {Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret))}\n";

        // When: planned, applied, and planned again
        var plan = await CliRun.ExecWithEnvironmentAsync(environment, "plan", "--specs", _specs.Directory);
        var apply = await CliRun.ExecWithEnvironmentAsync(environment, "apply", "--yes", "--specs", _specs.Directory);
        var replan = await CliRun.ExecWithEnvironmentAsync(environment, "plan", "--specs", _specs.Directory);

        // Then: the plan shows a sensitive change, apply writes the substituted bytes, and the re-plan (digest of the
        // substituted text against the host's) finds nothing to do
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.True(replan.ExitCode == 0, replan.ToString());
        var written = await _host.ExecAsync("base64 -w0 /etc/app.conf");
        Assert.Equal(expected, Encoding.UTF8.GetString(Convert.FromBase64String(written.Stdout.Trim())));
        foreach (var form in Forms())
        {
            Assert.DoesNotContain(form, plan.Stdout + plan.Stderr + apply.Stdout + apply.Stderr + replan.Stdout + replan.Stderr, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Template_memory_and_time_are_bounded_for_the_whole_run_in_validate_and_the_fork_job()
    {
        // Given: a template keeping 3×999 strings of 1 MB (6 GB if it ran to the end), one slow template declared 200
        // times, and 200 distinct slow templates (each as slow as one render may be: branching recursion)
        const string slow = "{{ func f(n)\n  if n > 0\n    f(n - 1)\n    f(n - 1)\n  end\nend }}{{ f 28 }}\n";
        _specs.Write("attack/hoard.sbn", """
            {{ a = []; b = []; c = [] }}
            {{ for i in 1..999 }}{{ a = array.add a ("" | string.pad_left 1000000) }}{{ end }}
            {{ for i in 1..999 }}{{ b = array.add b ("" | string.pad_left 1000000) }}{{ end }}
            {{ for i in 1..999 }}{{ c = array.add c ("" | string.pad_left 1000000) }}{{ end }}
            """);
        _specs.Write("attack/slow.sbn", slow);
        var yaml = new StringBuilder("kind: resources\ntarget: { host: web1 }\nfiles:\n  - path: /etc/hoard\n    template: hoard.sbn\n");
        for (var i = 0; i < 200; i++)
        {
            _specs.Write($"attack/slow{i:000}.sbn", slow);
            yaml.Append($"  - path: /etc/slow-same-{i}\n    template: slow.sbn\n  - path: /etc/slow-{i}\n    template: slow{i:000}.sbn\n");
        }

        _specs.Write("attack/attack.yaml", yaml.ToString());

        foreach (var args in new[] { new[] { "validate" }, ["validate", "--secrets-by-name"], ["plan"] })
        {
            // When: each runs in a process of its own, its peak memory read from the kernel
            var run = await RunMeasuredAsync([.. args, "--specs", _specs.Directory]);

            // Then: clear errors naming the template and the limit, well inside a minute and 500 MB
            var what = $"{string.Join(' ', args)}: exit {run.Exit} in {run.Elapsed}, peak {run.PeakRssBytes / (1024 * 1024)} MiB\n{run.Output}";
            Assert.True(run.Exit == 1, what);
            Assert.Contains("attack/hoard.sbn:2:", run.Output);
            Assert.Contains("error RC3016: the template built more than 16777216 characters of text and list items in one render", run.Output);
            Assert.True(run.Output.Contains("this run's templates together passed their budget of", StringComparison.Ordinal), what);
            Assert.Contains("error RC3016: not rendered: this run's templates already used up their budget of", run.Output);
            Assert.DoesNotContain("OutOfMemory", run.Output);
            Assert.DoesNotContain("   at ", run.Output);
            Assert.True(run.Elapsed < TimeSpan.FromSeconds(60), what);
            Assert.True(run.PeakRssBytes < 500L * 1024 * 1024, what);
        }
    }

    private sealed record MeasuredRun(int Exit, string Output, TimeSpan Elapsed, long PeakRssBytes);

    /// <summary>The real CLI in its own process; peak RSS is the kernel's high-water mark (VmHWM), sampled until it exits.</summary>
    private static async Task<MeasuredRun> RunMeasuredAsync(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "reconciler.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["RECONCILER_SECRET_DB_PASSWORD"] = Secret;
        start.Environment.Remove("GITHUB_ACTIONS");
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (!process.HasExited && !timeout.IsCancellationRequested)
        {
            peak = Math.Max(peak, HighWaterMark(process.Id));
            await Task.Delay(20);
        }

        await process.WaitForExitAsync(timeout.Token);
        return new MeasuredRun(process.ExitCode, await stdout + await stderr, clock.Elapsed, peak);
    }

    private static long HighWaterMark(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (IOException)
        {
            return 0; // exited between the check and the read
        }
    }
}
