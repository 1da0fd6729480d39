using System.Text;
using System.Text.Json;
using Reconciler.Core.Model;
using Reconciler.Core.Secrets;
using Reconciler.Cli.Tests.GitHub;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests.Attacker;

/// <summary>
/// A pull request (specs and templates) and a host both try to make a secret appear in the output, disguised. No
/// output — plan text, JSON and Markdown, the PR comment, apply, drift reports and issues, the step summary, the logs —
/// may hold either secret in any encoding: the one the specs name, and one that is merely present in the environment.
/// </summary>
public sealed class SecretLeakTests
{
    private const string Named = "Kx9-leak-test-db-password-7Q";
    private const string Unreferenced = "Unreferenced-X-secret-value-4Z";

    [Fact]
    public async Task No_output_or_artifact_holds_a_secret_in_any_encoding_even_one_no_spec_names()
    {
        // Given a host holding both secrets, encoded every which way, in a world-readable file the specs also manage
        await using var host = await DebianHost.StartAsync();
        await using var github = new FakeGitHubServer();
        var hostFile = HostileFile();
        await host.ExecAsync($"printf '%s' '{Convert.ToBase64String(Encoding.UTF8.GetBytes(hostFile))}' | base64 -d > /etc/leak-test.conf; chmod 0644 /etc/leak-test.conf");
        Assert.Equal(hostFile, (await host.ExecAsync("cat /etc/leak-test.conf")).Stdout);

        // And specs with a template that places the named secret in every form a template may (as it is, base64, a hash)
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        specs.Write("templates/leak.sbn", """
            plain={{ secret "db_password" }}
            b64={{ secret "db_password" "base64" }}
            hash={{ secret "db_password" "ssha512" }}

            """);
        specs.Write("leak.yaml", """
            kind: resources
            target: { host: web1 }
            files:
              - path: /etc/leak-test.conf
                content: "clean\n"
              - path: /etc/leak-rendered.conf
                template: templates/leak.sbn
                mode: "0600"
            """);
        var job = new ActionsJob(specs, github, new Dictionary<string, string>
        {
            ["RECONCILER_SECRET_DB_PASSWORD"] = Named,
            ["RECONCILER_SECRET_X"] = Unreferenced,
        });
        var summary = job.StepSummary;
        var reports = Path.Combine(specs.Directory, "drift-report");
        var planFile = Path.Combine(specs.Directory, "plan.json");

        // When the pull request is planned (comment, JSON artifact, Markdown), applied from the artifact, and drift runs
        var plan = await job.Run("plan", "--comment", "--pr", "7");
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains(SecretRedactor.Mask, plan.Stdout); // the host's file content was shown, and masked
        Assert.True((await job.Run("plan", "--format", "json", "--out", planFile)).ExitCode == 2);
        var markdown = await job.Run("plan", "--format", "markdown");
        var apply = await job.Run("apply", "--plan", planFile);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        await host.ExecAsync($"printf '%s' '{Convert.ToBase64String(Encoding.UTF8.GetBytes(hostFile))}' | base64 -d > /etc/leak-test.conf");
        var drift = await job.Run("drift", "--issues", "--report-dir", reports);
        Assert.True(drift.ExitCode == 2, drift.ToString());

        // Then no output holds either secret in any of its encodings
        var outputs = new Dictionary<string, string>
        {
            ["console and logs"] = job.Printed,
            ["plan json"] = await File.ReadAllTextAsync(planFile),
            ["plan markdown"] = markdown.Stdout,
            ["comment"] = string.Join("\n", github.CommentsOn(7).Select(c => c.Body)),
            ["issues"] = string.Join("\n", github.Issues.Select(i => i.Title + i.Body)),
            ["http bodies"] = string.Join("\n", github.Requests.Select(r => r.Target + r.Body)),
            ["drift.md"] = await File.ReadAllTextAsync(Path.Combine(reports, "drift.md")),
            ["drift.json"] = await File.ReadAllTextAsync(Path.Combine(reports, "drift.json")),
            ["drift.html"] = await File.ReadAllTextAsync(Path.Combine(reports, "drift.html")),
            ["step summary"] = await File.ReadAllTextAsync(summary),
        };
        foreach (var (secret, name) in new[] { (Named, "the named secret"), (Unreferenced, "the unreferenced secret") })
        {
            foreach (var (encoding, encoded) in Encodings(secret))
            {
                Assert.Contains(encoded, hostFile + Rendered(), StringComparison.OrdinalIgnoreCase); // the attack really carries it
                Assert.All(outputs, o => Assert.False(o.Value.Contains(encoded, StringComparison.OrdinalIgnoreCase),
                    $"{o.Key} shows {name} {encoding}:\n{o.Value}"));
            }
        }

        // And the rendered secret did reach the host, where it belongs
        var rendered = (await host.ExecAsync("cat /etc/leak-rendered.conf")).Stdout;
        Assert.StartsWith(Rendered(), rendered, StringComparison.Ordinal);
        Assert.Matches("\nhash=\\{SSHA512\\}[A-Za-z0-9+/=]{100,}\n$", rendered);
    }

    [Fact]
    public async Task A_plan_artifact_holds_only_keyed_digests_and_applies_only_with_its_key()
    {
        // Given a plan of a file whose content is a secret, made in one run with the plan key
        await using var host = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        specs.Write("templates/app.sbn", "password={{ secret \"db_password\" }}\n");
        specs.Write("app.yaml", "kind: resources\ntarget: { host: web1 }\nfiles:\n  - path: /etc/app.conf\n    template: templates/app.sbn\n    mode: \"0600\"\n");
        var planFile = Path.Combine(specs.Directory, "plan.json");
        Dictionary<string, string> With(string key) => new() { ["RECONCILER_SECRET_DB_PASSWORD"] = Named, [PlanKey.EnvironmentVariable] = key };
        var plan = await CliRun.ExecWithEnvironmentAsync(With(CliRun.TestPlanKey), "plan", "--specs", specs.Directory, "--format", "json", "--out", planFile);
        Assert.True(plan.ExitCode == 2, plan.ToString());

        // Then the artifact names its key without holding it, and no digest in it is a plain hash a guess could be checked against
        var json = await File.ReadAllTextAsync(planFile);
        Assert.Matches("\"digest_key\": \"hmac-sha256:[0-9a-f]{16}\"", json);
        Assert.DoesNotContain(CliRun.TestPlanKey, json);
        Assert.DoesNotContain("\"sha256:", json);
        Assert.DoesNotContain(Sha256Text.Hex("password=" + Named + "\n"), json);

        // And apply in other runs refuses it plainly without the key, or with another, and applies it with the same key
        var without = await CliRun.ExecWithEnvironmentAsync(With(""), "apply", "--specs", specs.Directory, "--plan", planFile);
        Assert.True(without.ExitCode == 1, without.ToString());
        Assert.Contains("RECONCILER_PLAN_KEY is not set; apply --plan needs the key the plan was made with", without.Stderr);
        var other = await CliRun.ExecWithEnvironmentAsync(With("another-plan-key-0123456789abcdefghijklmnop"), "apply", "--specs", specs.Directory, "--plan", planFile);
        Assert.True(other.ExitCode == 1, other.ToString());
        Assert.Contains("the plan was made with a different RECONCILER_PLAN_KEY", other.Stderr);
        Assert.NotEqual(0, (await host.ExecAsync("test -e /etc/app.conf")).ExitCode);
        var short_ = await CliRun.ExecWithEnvironmentAsync(With("too-short"), "plan", "--specs", specs.Directory);
        Assert.True(short_.ExitCode == 1, short_.ToString());
        Assert.Contains("RECONCILER_PLAN_KEY is too short", short_.Stderr);
        Assert.DoesNotContain("too-short", short_.Stdout + short_.Stderr);
        var same = await CliRun.ExecWithEnvironmentAsync(With(CliRun.TestPlanKey), "apply", "--specs", specs.Directory, "--plan", planFile);
        Assert.True(same.ExitCode == 0, same.ToString());
        Assert.Equal("password=" + Named, (await host.ExecAsync("cat /etc/app.conf")).Stdout.Trim());
    }

    /// <summary>What the hostile template renders, for checking that each encoding the test looks for was really produced.</summary>
    private static string Rendered() =>
        $"plain={Named}\nb64={Convert.ToBase64String(Encoding.UTF8.GetBytes(Named))}\n";

    private static string HostileFile()
    {
        var text = new StringBuilder();
        foreach (var secret in new[] { Named, Unreferenced })
        {
            var bytes = Encoding.UTF8.GetBytes(secret);
            text.AppendLine($"plain={secret} upper={secret.ToUpperInvariant()} lower={secret.ToLowerInvariant()}");
            text.AppendLine($"hex={Convert.ToHexStringLower(bytes)} HEX={Convert.ToHexString(bytes)}");
            text.AppendLine($"url={Uri.EscapeDataString(secret + "/+&")} url-lower={string.Concat(bytes.Select(b => $"%{b:x2}"))}");
            text.AppendLine($"json={JsonSerializer.Serialize(secret + "\"/")}");
            for (var offset = 0; offset < 3; offset++)
            {
                var stream = Convert.ToBase64String(Encoding.UTF8.GetBytes(new string('p', 3 + offset) + secret + "tail"));
                text.AppendLine($"b64-{offset}={stream} b64url-{offset}={stream.Replace('+', '-').Replace('/', '_')}");
            }
        }

        return text.ToString();
    }

    /// <summary>Each encoding the attack uses, as a reader of the output would look for it.</summary>
    private static IEnumerable<(string Encoding, string Text)> Encodings(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        yield return ("as is", secret);
        yield return ("upper-cased", secret.ToUpperInvariant());
        yield return ("hex", Convert.ToHexStringLower(bytes));
        yield return ("percent-encoded", string.Concat(bytes.Select(b => $"%{b:x2}")));
        for (var offset = 0; offset < 3; offset++)
        {
            // The characters of the base64 stream that carry only the secret's bytes, at this alignment.
            var aligned = Convert.ToBase64String(Encoding.UTF8.GetBytes(new string('p', 3 + offset) + secret + "tail"));
            yield return ($"base64 at alignment {offset}", aligned[8..(4 * ((3 + offset + bytes.Length) / 3) - 4)]);
        }
    }
}
