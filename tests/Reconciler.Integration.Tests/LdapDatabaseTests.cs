using System.Text.RegularExpressions;
using Reconciler.Integration.Tests.Fixtures;
using Reconciler.Integration.Tests.Support;

namespace Reconciler.Integration.Tests;

/// <summary>
/// Issue 19 with Debian 12's real slapd 2.5: an MDB database holding 10,000 entries (about 42 MiB) whose limit was
/// lowered by hand to 10 MiB (so writes fail) is sized by the seed's rule — used × 1.1, shown with the facts it used —
/// and raised live while ldapsearch keeps answering; a fill over the threshold, a hand change and an attribute slapd
/// refuses are each seen; no plan, apply or drift output holds the rootdn's password from cn=config.
/// </summary>
public sealed class LdapDatabaseTests
{
    private static string Spec(string database) => "kind: resources\ntarget: { host: l1 }\nldap_databases:\n  - suffix: dc=example,dc=test\n" + database;

    [Fact]
    public async Task Auto_sizing_raises_the_limit_live_and_fill_hand_changes_and_refused_attributes_are_seen()
    {
        await using var ldap = await LdapHost.StartAsync();
        await ldap.LoadEntriesAsync(10_000);
        await ldap.ReplaceMdbAttributeAsync("olcDbMaxSize", "10485760");
        var rootPw = (await ldap.ConfigEntryAsync()).First(a => a.Key.StartsWith("olcRootPW", StringComparison.Ordinal)).Value;
        using var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("l1", ldap.Host, DebianHost.RootUser, "ldap")]);
        var runs = new List<CliRun>();
        async Task<CliRun> Run(params string[] command)
        {
            var run = await CliRun.ExecAsync([.. command, "--specs", specs.Directory]);
            runs.Add(run);
            return run;
        }

        // The seed's rule from live facts: used pages × page size × 1.1, against the 10 MiB set by hand.
        specs.Write("hosts/l1.yaml", Spec("    max_size: auto\n    checkpoint: \"512 30\"\n    indexes: [\"objectClass eq\", \"cn,uid eq\", \"uidNumber,gidNumber eq\", \"member,memberUid eq\", \"mail eq\"]\n"));
        var stat = await ldap.MdbStatAsync();
        var plan = await Run("plan");
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Matches($@"used [0-9.]+ MiB \({stat.PagesUsed:N0} pages × 4 KiB\) × 1\.1 → [0-9.]+ MiB", plan.Stdout);
        Assert.Contains("olcDbMaxSize: 10485760 (10 MiB) → ", plan.Stdout);
        Assert.Contains("olcDbIndex: ", plan.Stdout);

        // Applied live while a client keeps searching: every search answers.
        using var stop = new CancellationTokenSource();
        var searches = Task.Run(async () =>
        {
            var answered = 0;
            while (!stop.IsCancellationRequested)
            {
                var dns = await ldap.SearchDnsAsync(filter: "(uid=user000042)");
                Assert.Single(dns);
                answered++;
            }

            return answered;
        });
        var apply = await Run("apply", "--yes");
        stop.Cancel();
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.True(await searches > 0);
        var raised = (await ldap.ConfigEntryAsync()).Single(a => a.Key == "olcDbMaxSize").Value;
        Assert.Equal((long)Math.Ceiling(stat.PagesUsed * 1.1m) * stat.PageSize, long.Parse(raised));
        Assert.Contains(new KeyValuePair<string, string>("olcDbIndex", "mail eq"), await ldap.ConfigEntryAsync());
        // Writes work again under the raised limit.
        var added = await ldap.RunAsync("printf 'dn: uid=after,ou=people,dc=example,dc=test\\nobjectClass: inetOrgPerson\\nuid: after\\ncn: After\\nsn: After\\n' | ldapadd -x -D cn=admin,dc=example,dc=test -w reconciler-test-only -H ldapi:///");
        Assert.Contains("adding new entry", added);
        var again = await Run("plan");
        Assert.True(again.ExitCode == 0, again.ToString());

        // A hand change through ldapmodify is drift.
        await ldap.ReplaceMdbAttributeAsync("olcDbCheckpoint", "1024 60");
        var drift = await Run("drift");
        Assert.True(drift.ExitCode != 0, drift.ToString());
        Assert.Contains("olcDbCheckpoint", drift.Stdout);
        Assert.True((await Run("apply", "--yes")).ExitCode == 0);

        // A declared limit the data fills past the threshold is reported even when nothing else differs.
        var tight = (long)(stat.PagesUsed * stat.PageSize / 0.9) / stat.PageSize * stat.PageSize;
        specs.Write("hosts/l1.yaml", Spec($"    max_size: {tight}\n"));
        // Apply sets the limit; its verifying read (and every plan after it) reports the fill.
        var tightened = await Run("apply", "--yes");
        Assert.Equal(tight.ToString(), (await ldap.ConfigEntryAsync()).Single(a => a.Key == "olcDbMaxSize").Value);
        Assert.Contains("blocked", tightened.Stdout);
        var full = await Run("drift");
        Assert.True(Regex.IsMatch(full.Stdout, @"fills \d+% of its [0-9.]+ MiB map, over the threshold 80%"), full.ToString());

        // An attribute slapd does not accept is refused on a copy of cn=config before anything changes.
        var before = (await ldap.ConfigEntryAsync()).Where(a => a.Key.StartsWith("olcDb", StringComparison.Ordinal)).ToList();
        specs.Write("hosts/l1.yaml", Spec("    attributes: { olcDbNoSync: MAYBE }\n"));
        var refused = await Run("apply", "--yes");
        Assert.True(refused.ExitCode != 0, refused.ToString());
        Assert.Matches("slapmodify refused the change on a copy of cn=config|slaptest refused", refused.Stdout + refused.Stderr);
        Assert.Equal(before, (await ldap.ConfigEntryAsync()).Where(a => a.Key.StartsWith("olcDb", StringComparison.Ordinal)).ToList());

        foreach (var run in runs)
        {
            Assert.DoesNotContain(rootPw, run.Stdout + run.Stderr);
            Assert.DoesNotContain(LdapHost.AdminPassword, run.Stdout + run.Stderr);
        }
    }
}
