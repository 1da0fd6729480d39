using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Dkim;
using Reconciler.Core.Shell;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Providers.Dkim;

/// <summary>
/// The dkim kind's host side under attack: a local user who controls a directory on the way to opendkim's tables, a key
/// or the gate's records (a tutorial's <c>chown -R opendkim /etc/opendkim</c>) gets nothing read or written there as
/// root and cannot make the plan lie; and a hostile host's answer out of its grammar or bounds is that host's error.
/// The real read runs here with /bin/sh (as root, like on a host), its fixed paths moved under a temp directory.
/// </summary>
public sealed class DkimHostTests : IDisposable
{
    private const int Nobody = 65534;
    private readonly TempDir _root = new();
    private readonly DkimDomainResource _domain = DkimControllerTests.Domain();

    public void Dispose() => _root.Dispose();

    private string Etc => _root["etc"];

    private string Under(string path) => _root.Path + path;

    private void Shell(string script)
    {
        var result = LocalShell.Run(script);
        Assert.True(result.ExitCode == 0, result.Stderr);
    }

    /// <summary>An honest host: every directory root's, a key made by root, a SigningTable line signing with it.</summary>
    private void Honest()
    {
        Shell($"""
            set -e
            mkdir -p '{Etc}' '{Under("/var/lib/reconciler/dkim/example.test")}' '{Under("/etc/opendkim/keys/example.test")}'
            chmod 700 '{Under("/var/lib/reconciler/dkim")}' '{Under("/var/lib/reconciler/dkim/example.test")}'
            chmod 750 '{Under("/etc/opendkim/keys")}' '{Under("/etc/opendkim/keys/example.test")}'
            openssl genrsa -out '{Under("/etc/opendkim/keys/example.test/default.private")}' 2048 2>/dev/null
            printf '*@example.test default._domainkey.example.test\n' > '{Under("/etc/opendkim/SigningTable")}'
            printf 'default._domainkey.example.test example.test:default:/etc/opendkim/keys/example.test/default.private\n' > '{Under("/etc/opendkim/KeyTable")}'
            chmod 644 '{Under("/etc/opendkim/SigningTable")}' '{Under("/etc/opendkim/KeyTable")}'
            """);
    }

    /// <summary>The kind's real read with its fixed paths under the temp root, and its answer with them moved back.</summary>
    private (DkimObserved Observed, string Stdout) Read()
    {
        var script = DkimFacts.ReadScript([_domain])
            .Replace("/etc/opendkim", Under("/etc/opendkim"), StringComparison.Ordinal)
            .Replace("/var/lib/reconciler", Under("/var/lib/reconciler"), StringComparison.Ordinal);
        var result = LocalShell.Run(script);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var stdout = result.Stdout.Replace(_root.Path, "", StringComparison.Ordinal);
        var lines = LocalShell.Lines(stdout)
            .Select(l => l.StartsWith("OPENDKIM\t", StringComparison.Ordinal) ? "OPENDKIM\tyes" : l)
            .ToList();
        var observed = DkimFacts.Parse("dkim", lines, [_domain]);
        return (Assert.Single(observed), stdout);
    }

    private ResourceChange Diff(DkimObserved o) => ((IResourceProvider)new DkimProvider()).Diff(_domain, o with { Dns = DkimDnsObserved.NotAsked("not asked here") });

    [Fact]
    public void An_honest_host_is_read_whole()
    {
        Honest();

        var (o, _) = Read();

        Assert.Null(o.Host.TablesRefused);
        Assert.Null(o.Refused);
        Assert.Equal("default", o.Host.SigningSelector("example.test"));
        Assert.NotNull(o.Key("default").PublicKey);
    }

    /// <summary>Class: opendkim's files are trusted (read, then written) only where root alone controls them and their way.</summary>
    [Theory]
    [InlineData("/etc/opendkim", "chown", "unsafe path transition")]
    [InlineData("/etc/opendkim/SigningTable", "chown", "belongs to nobody")]
    [InlineData("/etc/opendkim/KeyTable", "chmod", "writable by group or others")]
    public void Tables_another_user_may_edit_are_neither_trusted_nor_written_and_the_domain_is_blocked(string path, string how, string why)
    {
        Honest();
        Shell(how == "chown" ? $"chown {Nobody} '{Under(path)}'" : $"chmod 666 '{Under(path)}'");

        var (o, stdout) = Read();
        var change = Diff(o);

        Assert.Contains(why, o.Host.TablesRefused);
        Assert.DoesNotContain("\nST\t", stdout);
        Assert.DoesNotContain("\nKT\t", stdout);
        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Contains("opendkim's files are neither read nor written", change.Note);
        var planned = new PlannedChange(_domain, o, change);
        Assert.Null(((IResourceProvider)new DkimProvider()).Group([planned], [planned]));
    }

    /// <summary>
    /// Class: a key or a gate record under a directory another user controls is never read or trusted: a planted key
    /// would be published and sign, a planted "served since" would switch early, and a swapped name would point root's
    /// read (openssl as root) at any file.
    /// </summary>
    [Theory]
    [InlineData("/etc/opendkim/keys/example.test")]
    [InlineData("/etc/opendkim/keys")]
    [InlineData("/var/lib/reconciler/dkim/example.test")]
    public void A_domain_whose_keys_or_records_another_user_controls_is_blocked_and_nothing_of_it_is_read(string directory)
    {
        Honest();
        Shell($"""
            printf '1\n' > '{Under("/var/lib/reconciler/dkim/example.test/default.seen")}'
            chown {Nobody} '{Under(directory)}'
            """);

        var (o, stdout) = Read();
        var change = Diff(o);

        Assert.Contains("unsafe path transition", o.Refused);
        Assert.Equal("none", o.Key("default").Kind);
        Assert.Null(o.Key("default").PublicKey);
        Assert.Null(o.Key("default").Seen);
        Assert.DoesNotContain("BEGIN", stdout);
        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Contains("example.test's keys and records are neither read nor written", change.Note);
        Assert.Empty(DkimGate.Decide(_domain, o).MakeKeys);
    }

    [Fact]
    public void A_key_directory_that_is_a_link_is_not_read_through()
    {
        Honest();
        var keys = Under("/etc/opendkim/keys/example.test");
        Shell($"mv '{keys}' '{_root["elsewhere"]}' && ln -s '{_root["elsewhere"]}' '{keys}'");

        var (o, _) = Read();

        Assert.Contains("is a symbolic link", o.Refused);
        Assert.Null(o.Key("default").PublicKey);
        Assert.Equal(ChangeAction.Blocked, Diff(o).Action);
    }

    [Fact]
    public void A_key_read_is_bounded_a_fifo_or_endless_file_in_its_place_does_not_hang_the_read()
    {
        Honest();
        var key = Under("/etc/opendkim/keys/example.test/default.private");
        Shell($"rm -f '{key}' && ln -s /dev/zero '{key}'");

        var started = DateTime.UtcNow;
        var (o, _) = Read();

        Assert.Equal("symlink", o.Key("default").Kind);
        Assert.Null(o.Key("default").PublicKey);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15));
    }

    /// <summary>Class: a hostile host's dkim answer out of the read's own bounds or grammar is that host's error, never plan text.</summary>
    [Theory]
    [InlineData("table lines")]
    [InlineData("mode")]
    [InlineData("owner")]
    [InlineData("reason")]
    [InlineData("table field")]
    public void A_hostile_answer_out_of_the_reads_bounds_or_grammar_is_malformed(string what)
    {
        var lines = DkimControllerTests.Answer(_domain).ToList();
        switch (what)
        {
            case "table lines":
                lines.AddRange(Enumerable.Range(0, DkimFacts.MaxTableLines + 1).Select(i => $"ST\t*@d{i}.test\tk{i}"));
                break;
            case "mode":
                lines[lines.FindIndex(l => l.StartsWith("KEY", StringComparison.Ordinal))] = $"KEY\t0\tdefault\tfile\t\u001b[2J\topendkim\topendkim\t-\t-\t-\t-";
                break;
            case "owner":
                lines[lines.FindIndex(l => l.StartsWith("DIR", StringComparison.Ordinal))] = "DIR\t0\tdirectory\t750\t@here ![x](http://x)\topendkim";
                break;
            case "reason":
                lines.Add("REFUSED\t0\t" + new string('x', 301));
                break;
            case "table field":
                lines.Add("KT\tdefault._domainkey.example.test\t" + new string('x', 601));
                break;
        }

        Assert.Throws<MalformedFactsException>(() => DkimFacts.Parse("dkim", lines, [_domain]));
    }

    [Fact]
    public void A_table_line_with_a_selector_out_of_its_grammar_is_shown_as_a_hand_edit_never_as_its_text()
    {
        var lines = DkimControllerTests.Answer(_domain).ToList();
        const string hostile = "x\u001b]8;;http://evil\u0007`@admin`";
        lines.Add($"ST\t*@example.test\t{hostile}._domainkey.example.test");
        lines.Add($"KT\t{hostile}._domainkey.example.test\texample.test:{hostile}:/etc/opendkim/keys/example.test/{hostile}.private");

        var o = DkimFacts.Parse("dkim", lines, [_domain])[0];

        Assert.Equal("?", o.Host.SigningSelector("example.test"));
        Assert.DoesNotContain("evil", Diff(o).Note);
    }

    [Fact]
    public void The_read_script_judges_paths_with_the_shared_path_rule()
    {
        Assert.Contains(PathSafety.Functions.Trim(), DkimFacts.ReadScript([_domain]), StringComparison.Ordinal);
    }
}
