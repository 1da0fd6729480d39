using System.Text;
using Reconciler.Core.Shell;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests.Attacker;

/// <summary>
/// The attacker opens a pull request: specs that name the host's secret files, and a local user who plants links. The
/// plan must show nothing a local user of the host could not already read, write nothing, and apply must never follow
/// a link it was not told to follow.
/// </summary>
public sealed class HostileFileTests
{
    private const string MailImage = "reconciler/host-mail:1";

    /// <summary>Everything a run leaves for people to read: console output and every file it wrote (plans, reports).</summary>
    private static string Everything(SpecsWorkspace specs, params CliRun[] runs) =>
        string.Join("\n", runs.Select(r => r.Stdout + "\n" + r.Stderr))
        + string.Join("\n", Directory.EnumerateFiles(specs.Directory, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(File.ReadAllText));

    /// <summary>The secret's tell-tale pieces (every run of 16+ characters of each line) and its whole-file encodings must all be absent.</summary>
    private static void AssertNoneOf(string secretFile, string output, string what)
    {
        var bytes = Encoding.UTF8.GetBytes(secretFile);
        var forms = secretFile.Split('\n')
            .SelectMany(line => line.Split(':', ' '))
            .Where(piece => piece.Length >= 16)
            .Concat([Convert.ToBase64String(bytes), Convert.ToHexString(bytes)[..64], Convert.ToHexStringLower(bytes)[..64]])
            .Distinct()
            .ToList();
        Assert.NotEmpty(forms);
        foreach (var form in forms)
        {
            Assert.False(output.Contains(form, StringComparison.Ordinal), $"{what}: the output contains \"{form}\"");
        }
    }

    /// <summary>Paths, types, modes, owners, chattr flags and content digests of the host's /etc, /root and /home, and every net.* sysctl.</summary>
    private static async Task<string> SnapshotAsync(DebianHost host)
    {
        var tree = await host.ExecAsync(
            "find /etc /root /home /var/lib/reconciler -xdev -printf '%p %y %m %U %G %l\\n' 2>/dev/null | sort; " +
            "find /etc /root /home -xdev -type f -exec sha256sum {} + 2>/dev/null | sort; " +
            "lsattr -R -a /etc 2>/dev/null | sort");
        var sysctls = await host.ExecAsync("sysctl -a -r '^net\\.' 2>/dev/null | grep -v -e conntrack_count -e '^net.ipv6.route.gc' -e '\\.flush ' | sort");
        Assert.True(tree.Stdout.Length > 10_000 && sysctls.Stdout.Contains("net.ipv4.tcp_syncookies", StringComparison.Ordinal), "snapshot is incomplete");
        return tree.Stdout + "\n--- sysctl ---\n" + sysctls.Stdout;
    }

    [Fact]
    public async Task A_plan_of_the_host_key_and_shadow_shows_none_of_their_bytes_and_writes_nothing()
    {
        // Given a host whose root has a real password hash, and specs that name its secret files with new content
        await using var host = await DebianHost.StartAsync();
        await host.ExecAsync("echo 'root:Canary-Root-Password-1' | chpasswd");
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        specs.Write("hostile.yaml", """
            kind: resources
            target: { group: hardened }
            sysctls:
              - { key: net.ipv4.tcp_syncookies, value: 0 }
            files:
              - { path: /etc/ssh/ssh_host_ed25519_key, content: "x\n" }
              - { path: /etc/shadow, content: "x\n" }
              - { path: /etc/gshadow, content: "x\n", follow: true }
            config_lines:
              - { path: /etc/ssh/ssh_host_ed25519_key, key: "-----BEGIN", value: x }
            """);
        var key = (await host.ExecAsync("cat /etc/ssh/ssh_host_ed25519_key")).Stdout;
        var shadow = (await host.ExecAsync("cat /etc/shadow")).Stdout;
        Assert.Contains("BEGIN OPENSSH PRIVATE KEY", key);
        Assert.Contains("root:$", shadow);
        var before = await SnapshotAsync(host);

        // When the plan runs in every output format, and drift writes its reports
        var text = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        var markdown = await CliRun.ExecAsync("plan", "--specs", specs.Directory, "--format", "markdown", "--out", Path.Combine(specs.Directory, "plan.md"));
        var json = await CliRun.ExecAsync("plan", "--specs", specs.Directory, "--format", "json", "--out", Path.Combine(specs.Directory, "plan.json"));
        var drift = await CliRun.ExecAsync("drift", "--specs", specs.Directory, "--report-dir", Path.Combine(specs.Directory, "report"));

        // Then the plan says the content differs and why it is not shown, with sizes and line counts
        Assert.True(text.ExitCode == 2, text.ToString());
        Assert.Contains("content: (not shown: /etc/shadow is not world-readable (640 root:shadow); ", text.Stdout);
        Assert.Contains("content: (not shown: /etc/ssh/ssh_host_ed25519_key is not world-readable (600 root:root); ", text.Stdout);
        Assert.Matches(@"ssh_host_ed25519_key is not world-readable \(600 root:root\); \d+ bytes, \d+ line\(s\)\)", text.Stdout);
        Assert.Contains("-----BEGIN: (not shown: /etc/ssh/ssh_host_ed25519_key is not world-readable (600 root:root); set 1 time(s)) → x", text.Stdout);
        Assert.True(json.ExitCode == 2 && markdown.ExitCode == 2, json.ToString() + markdown);
        Assert.NotEqual(1, drift.ExitCode);

        // And none of the secret bytes, in any encoding, are in any output or file the runs wrote
        var everything = Everything(specs, text, markdown, json, drift);
        Assert.True(File.Exists(Path.Combine(specs.Directory, "plan.json")) && Directory.EnumerateFiles(Path.Combine(specs.Directory, "report")).Any());
        AssertNoneOf(key, everything, "ssh host key");
        AssertNoneOf(shadow, everything, "/etc/shadow");
        AssertNoneOf((await host.ExecAsync("cat /etc/gshadow")).Stdout + "gshadow-padding-to-16", everything, "/etc/gshadow");

        // And the plans and the drift run wrote nothing to the host: its file tree and net.* sysctls are byte-identical
        Assert.Equal(before, await SnapshotAsync(host));
    }

    [Fact]
    public async Task A_link_planted_by_a_local_user_is_blocked_naming_its_target_and_apply_leaves_the_target_alone()
    {
        // Given a file in a directory the deploy user owns, and a spec managing it
        await using var host = await DebianHost.StartAsync();
        await host.ExecAsync("mkdir -p /srv/app && chown deploy:deploy /srv/app && echo old > /srv/app/app.conf && chown deploy /srv/app/app.conf");
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        specs.Write("app.yaml", """
            kind: resources
            target: { group: hardened }
            files:
              - { path: /srv/app/app.conf, content: "managed\n", owner: deploy, mode: "0644" }
            config_lines:
              - { path: /srv/app/app.ini, key: level, value: "1", separator: "=" }
            """);
        await host.ExecAsync("echo 'level=0' > /srv/app/app.ini && chown deploy /srv/app/app.ini");
        const string victim = "stat -c '%a %U:%G' /etc/shadow /etc/passwd; sha256sum /etc/shadow /etc/passwd";
        var untouched = (await host.ExecAsync(victim)).Stdout;

        // When the deploy user replaces both managed files with links to root's files
        await host.ExecAsync("su deploy -s /bin/sh -c 'ln -sf /etc/shadow /srv/app/app.conf && ln -sf /etc/passwd /srv/app/app.ini'");
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        var apply = await CliRun.ExecAsync("apply", "--yes", "--specs", specs.Directory);

        // Then the plan blocks each, naming the link and its target; apply changes neither target
        Assert.Contains("file[/srv/app/app.conf]", plan.Stdout);
        Assert.Contains("is a symbolic link to /etc/shadow; links are not followed unless the spec says follow: true", plan.Stdout);
        // A config line edits system files: in a directory the deploy user controls it is refused before any link is read.
        Assert.Contains("unsafe path transition: deploy controls a directory on the way", plan.Stdout);
        Assert.Matches(@"!\s*file\[/srv/app/app\.conf\]", plan.Stdout);
        Assert.Equal(untouched, (await host.ExecAsync(victim)).Stdout);
        Assert.Equal("/etc/shadow", (await host.ExecAsync("readlink /srv/app/app.conf")).Stdout.Trim());
        Assert.DoesNotContain("root:", apply.Stdout + apply.Stderr + plan.Stdout);
    }

    [Fact]
    public async Task A_link_planted_between_a_saved_plan_and_its_apply_is_not_followed()
    {
        // Given a saved plan made while the managed file was a regular file in the deploy user's directory
        await using var host = await DebianHost.StartAsync();
        await host.ExecAsync("mkdir -p /srv/app && chown deploy:deploy /srv/app && echo old > /srv/app/app.conf && chown deploy /srv/app/app.conf");
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("web1", host, DebianHost.RootUser, "hardened")]);
        specs.Write("app.yaml", """
            kind: resources
            target: { group: hardened }
            files:
              - { path: /srv/app/app.conf, content: "managed\n", owner: deploy, mode: "0644" }
            """);
        var planFile = Path.Combine(specs.Directory, "plan.json");
        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory, "--format", "json", "--out", planFile);
        Assert.True(plan.ExitCode == 2, plan.ToString());
        const string victim = "stat -c '%a %U:%G' /etc/shadow; sha256sum /etc/shadow";
        var untouched = (await host.ExecAsync(victim)).Stdout;

        // When the deploy user swaps it for a link to /etc/shadow, and the saved plan is applied
        await host.ExecAsync("su deploy -s /bin/sh -c 'ln -sf /etc/shadow /srv/app/app.conf'");
        var apply = await CliRun.ExecAsync("apply", "--specs", specs.Directory, "--plan", planFile);

        // Then nothing is written through the link
        Assert.True(apply.ExitCode == 1, apply.ToString());
        Assert.Equal(untouched, (await host.ExecAsync(victim)).Stdout);
        Assert.Equal("/etc/shadow", (await host.ExecAsync("readlink /srv/app/app.conf")).Stdout.Trim());
    }

    [Fact]
    public async Task Dovecot_files_without_their_secret_reference_and_mariadb_hash_cells_are_never_shown()
    {
        // Given a mail host with a Dovecot passwd-file and mailbox rows holding password hashes
        await using var host = await DebianHost.StartAsync(image: MailImage);
        const string passwd = "alice@example.test:{SSHA512}Q2FuYXJ5RG92ZWNvdEhhc2hWYWx1ZTEyMzQ1Njc4OTBhYmNkZWY=::::::\n";
        await host.ExecAsync($"printf '%s' {Sh.Quote(passwd)} > /etc/dovecot/users && chown root:dovecot /etc/dovecot/users && chmod 0640 /etc/dovecot/users");
        const string rowHash = "{SSHA512}TWFyaWFEYkNhbmFyeUhhc2hWYWx1ZUFCQ0RFRkdISUpLTE1OT1A=";
        const string nativeHash = "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19";
        var sql = "CREATE DATABASE postfix; CREATE TABLE postfix.mailbox (username varchar(255) PRIMARY KEY, password varchar(255), note varchar(255)); " +
                  $"INSERT INTO postfix.mailbox VALUES ('alice@example.test', '{rowHash}', '{nativeHash}');";
        Assert.Equal(0, (await host.ExecAsync($"mysql --protocol=socket -e {Sh.Quote(sql)}")).ExitCode);
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("mail1", host, DebianHost.RootUser, "mail")], mariaDbManage: ["postfix.*"]);
        // The attacker drops the secret reference, declaring the file and the columns as plain text.
        specs.Write("mail.yaml", """
            kind: resources
            target: { host: mail1 }
            mariadb:
              tables:
                - database: postfix
                  name: mailbox
                  columns: { username: varchar(255), password: varchar(255), note: varchar(255) }
                  primary_key: [username]
                  rows:
                    - { username: alice@example.test, password: "x", note: "x" }
            dovecot:
              files:
                - path: /etc/dovecot/users
                  content: "x\n"
                  owner: root
                  group: dovecot
                  mode: "0640"
            """);

        var plan = await CliRun.ExecAsync("plan", "--specs", specs.Directory, "--format", "json", "--out", Path.Combine(specs.Directory, "plan.json"));
        var text = await CliRun.ExecAsync("plan", "--specs", specs.Directory);
        var drift = await CliRun.ExecAsync("drift", "--specs", specs.Directory, "--report-dir", Path.Combine(specs.Directory, "report"));

        Assert.True(text.ExitCode == 2, text.ToString());
        Assert.Contains("content: (not shown: /etc/dovecot/users is not world-readable (640 root:dovecot); ", text.Stdout);
        Assert.Contains("row alice@example.test password: (sensitive value changed)", text.Stdout);
        Assert.Contains("row alice@example.test note: (sensitive value changed)", text.Stdout);
        var everything = Everything(specs, plan, text, drift);
        foreach (var secret in new[] { "Q2FuYXJ5RG92ZWNvdEhhc2hWYWx1ZTEy", "TWFyaWFEYkNhbmFyeUhhc2hWYWx1ZUFC", nativeHash, nativeHash[1..].ToLowerInvariant(), Convert.ToBase64String(Encoding.UTF8.GetBytes(passwd)) })
        {
            Assert.DoesNotContain(secret, everything);
        }
    }
}
