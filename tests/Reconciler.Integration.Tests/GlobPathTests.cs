using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>
/// Glob paths on a real Debian host over SSH: /home/* 0700 over three users' homes (one named with a space and a leading
/// dash), a permissions glob with an exclude, a glob with no match, a directory made after <c>plan --out</c> that
/// <c>apply --plan</c> leaves alone, and the cap of 10,000 matches.
/// </summary>
public sealed class GlobPathTests
{
    private const string Spec = """
        kind: resources
        target: { group: hardened }
        files:
          - path: /home/*
            type: directory
            mode: "0700"
          - path: /srv/none/*
            type: directory
            mode: "0700"
        permissions:
          - path: /srv/www/*
            remove: o-w
            exclude: [/srv/www/keep]
        """;

    [Fact]
    public async Task Each_match_is_planned_and_applied_and_a_match_made_after_the_plan_is_not_touched()
    {
        // Given three users' homes, one with a space and a leading dash in its name, and two web roots, one excluded
        await using var host = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        specs.Write("globs.yaml", Spec);
        var setup = await host.ExecAsync("""
            set -e
            useradd -m alice; useradd -m bob
            mkdir -p '/home/-dash x' /srv/www/site /srv/www/keep /srv/none
            chmod 755 /home/alice /home/bob '/home/-dash x'
            echo x > /srv/www/site/index.html; echo y > /srv/www/keep/index.html
            chmod 666 /srv/www/site/index.html /srv/www/keep/index.html
            """);
        Assert.True(setup.ExitCode == 0, setup.Stderr);

        // When we plan to a file
        var planFile = Path.Combine(specs.Directory, "plan.json");
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        var saved = await CliRun.ExecAsync("plan", "--specs", specs.Directory, "--format", "json", "--out", planFile);
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.True(saved.ExitCode == 2, saved.ToString());

        // Then each match is its own change, noted with the glob it matched; the empty glob is one skip
        Assert.Contains("~ file[/home/alice]", plan.Stdout);
        Assert.Contains("~ file[/home/bob]", plan.Stdout);
        Assert.Contains("~ file[/home/-dash x]", plan.Stdout);
        Assert.Contains("matched by /home/* (declared at ", plan.Stdout);
        Assert.Contains("no path matches /srv/none/*", plan.Stdout);
        Assert.Contains("~ permissions[/srv/www/site o-w]", plan.Stdout);
        Assert.DoesNotContain("permissions[/srv/www/keep", plan.Stdout);
        Assert.Contains("\"matched_by\": \"/home/*\"", await File.ReadAllTextAsync(planFile));

        // When a directory appears after the plan was reviewed, and the saved plan is applied
        await host.ExecAsync("mkdir /home/mallory && chmod 755 /home/mallory");
        var apply = await CliRun.ExecAsync("apply", "--specs", specs.Directory, "--plan", planFile);

        // Then the reviewed matches changed, the new one was skipped with the reason, and the excluded tree is as it was
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Contains("matched after the plan; not applied; a new plan picks it up", apply.Stdout);
        var modes = await host.ExecAsync("stat -c '%n %a' /home/alice /home/bob '/home/-dash x' /home/mallory /srv/www/site/index.html /srv/www/keep/index.html");
        Assert.Equal(
            "/home/alice 700\n/home/bob 700\n/home/-dash x 700\n/home/mallory 755\n/srv/www/site/index.html 664\n/srv/www/keep/index.html 666",
            modes.Stdout.Trim());

        // And a new plan picks the new directory up, and nothing else
        var again = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        Assert.True(again.ExitCode == 2, again.ToString());
        Assert.Contains("~ file[/home/mallory]", again.Stdout);
        Assert.DoesNotContain("~ file[/home/alice]", again.Stdout);
        Assert.DoesNotContain("~ permissions[", again.Stdout);
    }

    [Fact]
    public async Task More_than_ten_thousand_matches_block_the_glob_with_the_reason()
    {
        // Given 10,001 entries under one directory
        await using var host = await DebianHost.StartAsync();
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        specs.Write("many.yaml", """
            kind: resources
            target: { group: hardened }
            files:
              - path: /srv/many/*
                mode: "0600"
            """);
        var setup = await host.ExecAsync("mkdir -p /srv/many && cd /srv/many && i=0; while [ $i -le 10000 ]; do : > f$i; i=$((i+1)); done; ls | wc -l");
        Assert.Equal("10001", setup.Stdout.Trim());

        // When we plan
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);

        // Then the glob is blocked, saying why, and nothing was planned for any match
        Assert.Contains("/srv/many/*: more than 10000 paths match (the host counted 10001); declare a narrower pattern", plan.Stdout);
        Assert.DoesNotContain("file[/srv/many/f", plan.Stdout);
    }
}
