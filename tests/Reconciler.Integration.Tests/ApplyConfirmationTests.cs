using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>
/// apply asks before it changes a host, as terraform does: the plan is shown, only "yes" applies, --yes skips the question
/// and is required when nobody is at a terminal, a reviewed --plan needs neither; and what is applied is what was shown.
/// </summary>
public sealed class ApplyConfirmationTests
{
    private const string Path = "/etc/reconciler-confirm.conf";

    private const string Spec = $$"""
        kind: resources
        target: { group: web }
        files:
          - { path: {{Path}}, content: "one\ntwo\nthree\nfour\nfive\nsix\n", mode: "0644" }
        """;

    private const string Live = "one\ntwo\nTHREE\nfour\nfive\nsix\n";

    private static async Task<(DebianHost Host, SpecsWorkspace Specs)> HostWithDriftAsync()
    {
        var host = await DebianHost.StartAsync();
        await host.ExecAsync($"printf 'one\\ntwo\\nTHREE\\nfour\\nfive\\nsix\\n' > {Path} && chmod 0644 {Path}");
        var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "web")]);
        specs.Write("confirm.yaml", Spec);
        return (host, specs);
    }

    private static async Task<string> LiveAsync(DebianHost host) => (await host.ExecAsync($"cat {Path}")).Stdout;

    [Fact]
    public async Task Without_a_terminal_and_without_yes_apply_refuses_naming_yes_and_contacts_no_host()
    {
        var (host, specs) = await HostWithDriftAsync();
        await using var _ = host;
        using var __ = specs;

        var apply = await CliRun.ExecAsync("apply", "--specs", specs.Directory);

        Assert.True(apply.ExitCode == 1, apply.ToString());
        var reason = Assert.Single(apply.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--yes", reason);
        Assert.Equal("", apply.Stdout);
        Assert.Equal(0, apply.Traffic.Connections);
        Assert.Equal(Live, await LiveAsync(host));
    }

    [Fact]
    public async Task With_yes_apply_applies_without_asking_and_shows_each_change_s_diff()
    {
        var (host, specs) = await HostWithDriftAsync();
        await using var _ = host;
        using var __ = specs;

        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);

        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.DoesNotContain("Only 'yes' is accepted", apply.Stdout);
        Assert.Contains($"✓ update file[{Path}]", apply.Stdout);
        // The apply output carries the change's diff as plan shows it, hunk header and all.
        Assert.Contains("        @@ -1,5 +1,5 @@\n         one\n         two\n        -THREE\n        +three\n", apply.Stdout.ReplaceLineEndings("\n"));
        Assert.Equal("one\ntwo\nthree\nfour\nfive\nsix\n", await LiveAsync(host));
    }

    [Fact]
    public async Task At_a_terminal_the_plan_is_shown_and_yes_applies_it()
    {
        var (host, specs) = await HostWithDriftAsync();
        await using var _ = host;
        using var __ = specs;

        var apply = await CliRun.ExecAtTerminalAsync(new StringReader("yes\n"), "apply", "--specs", specs.Directory);

        Assert.True(apply.ExitCode == 0, apply.ToString());
        var question = apply.Stdout.IndexOf("Apply these changes to 1 host(s)? Only 'yes' is accepted: ", StringComparison.Ordinal);
        var planned = apply.Stdout.IndexOf($"~ file[{Path}]", StringComparison.Ordinal);
        var applied = apply.Stdout.IndexOf($"✓ update file[{Path}]", StringComparison.Ordinal);
        Assert.True(planned >= 0 && question > planned && applied > question, apply.ToString());
        Assert.Contains("-THREE", apply.Stdout[..question]);
        Assert.Equal("one\ntwo\nthree\nfour\nfive\nsix\n", await LiveAsync(host));
    }

    [Theory]
    [InlineData("no\n")]
    [InlineData("y\n")]
    [InlineData("YES\n")]
    [InlineData("\n")]
    [InlineData("")] // the input closed (Ctrl-D) before any answer
    public async Task At_a_terminal_anything_but_yes_applies_nothing_and_exits_1(string answer)
    {
        var (host, specs) = await HostWithDriftAsync();
        await using var _ = host;
        using var __ = specs;

        var apply = await CliRun.ExecAtTerminalAsync(new StringReader(answer), "apply", "--specs", specs.Directory);

        Assert.True(apply.ExitCode == 1, apply.ToString());
        Assert.Contains("Apply cancelled: nothing was applied.", apply.Stdout);
        Assert.DoesNotContain("✓", apply.Stdout);
        Assert.Equal(Live, await LiveAsync(host));
        // Nothing is left behind: the plan's read holds no lock, so the next apply runs at once.
        var next = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(next.ExitCode == 0, next.ToString());
    }

    [Fact]
    public async Task With_nothing_to_change_apply_asks_nothing()
    {
        var (host, specs) = await HostWithDriftAsync();
        await using var _ = host;
        using var __ = specs;
        Assert.Equal(0, (await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory)).ExitCode);

        // No answer at all: a question would read the end of input and cancel.
        var apply = await CliRun.ExecAtTerminalAsync(new StringReader(""), "apply", "--specs", specs.Directory);

        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.DoesNotContain("Only 'yes' is accepted", apply.Stdout);
        Assert.Contains("web1: no changes", apply.Stdout);
    }

    [Fact]
    public async Task A_host_changed_between_the_question_and_the_answer_is_refused_not_applied()
    {
        var (host, specs) = await HostWithDriftAsync();
        await using var _ = host;
        using var __ = specs;
        // While the person reads the plan, someone edits the file by hand.
        var answers = new AnswerAfter(() => host.ExecAsync($"printf 'edited while asking\\n' > {Path}").GetAwaiter().GetResult(), "yes");

        var apply = await CliRun.ExecAtTerminalAsync(answers, "apply", "--specs", specs.Directory);

        Assert.True(apply.ExitCode == 1, apply.ToString());
        Assert.Contains($"re-plan: file[{Path}] changed on web1 since the plan", apply.Stdout);
        Assert.Contains("1 refused", apply.Stdout);
        Assert.Equal("edited while asking\n", await LiveAsync(host));
    }

    [Fact]
    public async Task A_reviewed_saved_plan_applies_without_yes_and_without_a_terminal()
    {
        var (host, specs) = await HostWithDriftAsync();
        await using var _ = host;
        using var __ = specs;
        var planFile = System.IO.Path.Combine(specs.Directory, "..", System.IO.Path.GetFileName(specs.Directory) + "-plan.json");
        Assert.Equal(2, (await CliRun.ExecAsync("plan", "--specs", specs.Directory, "--format", "json", "--out", planFile)).ExitCode);

        var apply = await CliRun.ExecAsync("apply", "--specs", specs.Directory, "--plan", planFile);

        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.DoesNotContain("Only 'yes' is accepted", apply.Stdout);
        Assert.Equal("one\ntwo\nthree\nfour\nfive\nsix\n", await LiveAsync(host));
        File.Delete(planFile);
    }

    [Fact]
    public async Task An_interrupt_at_the_question_applies_nothing_and_leaves_no_lock()
    {
        var (host, specs) = await HostWithDriftAsync();
        await using var _ = host;
        using var __ = specs;
        using var interrupt = new CancellationTokenSource();
        using var never = new ManualResetEventSlim();
        // The person presses Ctrl-C instead of answering: the read never returns.
        var answers = new AnswerAfter(() =>
        {
            interrupt.Cancel();
            never.Wait();
        }, "yes");

        var apply = await CliRun.ExecAtTerminalAsync(answers, interrupt.Token, "apply", "--specs", specs.Directory);
        never.Set();

        Assert.True(apply.ExitCode == 130, apply.ToString());
        Assert.Contains("interrupted", apply.Stderr);
        Assert.DoesNotContain("✓", apply.Stdout);
        Assert.Equal(Live, await LiveAsync(host));
        var next = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);
        Assert.True(next.ExitCode == 0, next.ToString());
    }

    [Fact]
    public async Task A_host_that_could_not_be_read_for_the_plan_shown_is_not_applied_though_it_answers_by_the_time_of_yes()
    {
        // Given two drifted hosts
        var (host, specs) = await HostWithDriftAsync();
        await using var _ = host;
        using var __ = specs;
        await using var second = await DebianHost.StartAsync();
        await second.ExecAsync($"printf 'one\\ntwo\\nTHREE\\nfour\\nfive\\nsix\\n' > {Path} && chmod 0644 {Path}");
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "web"), ("web2", second, DebianHost.RootUser, "web")]);
        // web2 refuses root's key while the plan is made: it cannot be read
        await second.ExecAsync("mv /root/.ssh/authorized_keys /root/.ssh/authorized_keys.off");
        // By the time the person answers, web2 lets the key in again
        var answers = new AnswerAfter(() => second.ExecAsync("mv /root/.ssh/authorized_keys.off /root/.ssh/authorized_keys").GetAwaiter().GetResult(), "yes");

        var apply = await CliRun.ExecAtTerminalAsync(answers, "apply", "--specs", specs.Directory);

        // web1, whose plan was shown, is applied; web2, whose live state nobody saw, is reported and left as it was
        Assert.True(apply.ExitCode == 1, apply.ToString());
        Assert.Equal("one\ntwo\nthree\nfour\nfive\nsix\n", await LiveAsync(host));
        Assert.Equal(Live, (await second.ExecAsync($"cat {Path}")).Stdout);
        Assert.Contains("web2", apply.Stdout);
    }
}
