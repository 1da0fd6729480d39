using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Ldap;

namespace Reconciler.Core.Tests.Providers.Ldap;

/// <summary>
/// The seed's sizing rule made explicit (used × growth, whole pages, never below the live map), its computation shown in
/// the plan, a nearly full database reported even when nothing else differs, and secrets withheld by the read.
/// </summary>
public sealed class LdapDatabaseTests
{
    private static readonly SourceLocation At = new("l.yaml", 1, 1);
    private const string Db = "olcDatabase={1}mdb,cn=config";

    private static LdapDatabaseResource Declared(long? maxSize = null, bool manages = true, params KeyValuePair<string, IReadOnlyList<string>>[] attributes) =>
        new("dc=example,dc=test", manages, maxSize, 1.1, 0.8, attributes, At);

    private static IReadOnlyList<string> Facts(string? maxSize, long pagesUsed, long map = 10485760, params string[] more) =>
    [
        "SLAPD\tpresent", $"DB\t{Db}",
        $"ATTR\t{Db}\tolcSuffix\ttext\tdc=example,dc=test",
        $"ATTR\t{Db}\tolcDbDirectory\ttext\t/var/lib/ldap",
        .. maxSize is null ? Array.Empty<string>() : [$"ATTR\t{Db}\tolcDbMaxSize\ttext\t{maxSize}"],
        .. more,
        $"MDB\t/var/lib/ldap\t{map}\t4096\t{pagesUsed}",
    ];

    private static ResourceChange Plan(LdapDatabaseResource declared, IReadOnlyList<string> facts)
    {
        IResourceProvider provider = new LdapProvider();
        var observed = provider.ParseFacts([declared], new FactAnswers(new Dictionary<string, IReadOnlyList<string>> { ["ldap_database"] = facts }));
        return provider.Diff(declared, observed[0]);
    }

    [Fact]
    public void Auto_is_the_used_size_times_growth_in_whole_pages_and_the_plan_shows_the_computation()
    {
        // 3,000 pages of 4 KiB = 11.7 MiB used, past the default 10 MiB map: × 1.1 = 3,300 pages = 13,516,800 bytes.
        var change = Plan(Declared(), Facts(null, 3000, map: 12582912));

        Assert.Equal(ChangeAction.Update, change.Action);
        var size = Assert.Single(change.Attributes);
        Assert.Equal(new PlanValue.Text("10485760 (10 MiB, the default)"), size.Before);
        Assert.Equal(new PlanValue.Text("13516800 (12.9 MiB)"), size.After);
        Assert.Contains("used 11.7 MiB (3,000 pages × 4 KiB) × 1.1 → 12.9 MiB", change.Note);
    }

    [Fact]
    public void Auto_never_shrinks_the_map_so_a_small_database_is_in_sync()
    {
        // The example: used 7.3 MiB × 1.1 → 8 MiB; live 10 MiB: no change.
        var change = Plan(Declared(), Facts(null, 1870));

        Assert.Equal(ChangeAction.NoOp, change.Action);
        Assert.Equal(2057 * 4096, LdapSizing.Compute(1870, 4096, 0, 1.1).Bytes);
        Assert.Equal("used 7.3 MiB (1,870 pages × 4 KiB) × 1.1 → 8.0 MiB; olcDbMaxSize is already 10 MiB, never lowered", LdapSizing.Compute(1870, 4096, 10485760, 1.1).Explanation);
        Assert.Equal(10485760, LdapSizing.Compute(1870, 4096, 10485760, 1.1).Bytes);
    }

    [Fact]
    public void A_database_over_the_fill_threshold_is_reported_even_when_nothing_else_differs()
    {
        var change = Plan(Declared(maxSize: 10485760), Facts("10485760", 2300));

        Assert.Equal(ChangeAction.Blocked, change.Action);
        Assert.Contains("fills 90% of its 10 MiB map, over the threshold 80%", change.Note);
    }

    [Fact]
    public void Indexes_are_compared_as_sets_and_replaced_whole()
    {
        var declared = Declared(manages: false, attributes: new KeyValuePair<string, IReadOnlyList<string>>("olcDbIndex", ["objectClass eq", "cn,sn   eq,sub"]));
        Assert.Equal(ChangeAction.NoOp, Plan(declared, Facts(null, 10, more: [$"ATTR\t{Db}\tolcDbIndex\ttext\tcn,sn eq,sub", $"ATTR\t{Db}\tolcDbIndex\ttext\tobjectClass eq"])).Action);

        var change = Plan(declared, Facts(null, 10, more: [$"ATTR\t{Db}\tolcDbIndex\ttext\tobjectClass eq"]));
        Assert.Equal("olcDbIndex", Assert.Single(change.Attributes).Name.Text);
        IResourceProvider provider = new LdapProvider();
        var observed = provider.ParseFacts([declared], new FactAnswers(new Dictionary<string, IReadOnlyList<string>> { ["ldap_database"] = Facts(null, 10, more: [$"ATTR\t{Db}\tolcDbIndex\ttext\tobjectClass eq"]) }));
        var script = provider.ApplyScript(declared, observed[0], change);
        var ldif = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(System.Text.RegularExpressions.Regex.Match(script, "rc_ldap_modify '([A-Za-z0-9+/=]+)'").Groups[1].Value));
        Assert.Equal($"dn: {Db}\nchangetype: modify\nreplace: olcDbIndex\nolcDbIndex: objectClass eq\nolcDbIndex: cn,sn   eq,sub\n-\n", ldif);
    }

    [Fact]
    public void A_missing_suffix_names_the_databases_the_host_has_and_a_missing_slapd_says_what_to_declare()
    {
        var other = Declared() with { Suffix = "dc=other,dc=test" };
        Assert.Contains("no mdb database with suffix dc=other,dc=test (it has dc=example,dc=test)", Plan(other, Facts(null, 10)).Note);
        Assert.Contains("declare the package slapd", Plan(Declared(), ["SLAPD\tmissing"]).Note);
    }

    [Fact]
    public void A_withheld_value_is_never_read_and_an_unknown_record_is_a_malformed_answer()
    {
        IResourceProvider provider = new LdapProvider();
        var observed = (LdapDatabaseObserved)provider.ParseFacts([Declared()], new FactAnswers(new Dictionary<string, IReadOnlyList<string>>
        {
            ["ldap_database"] = Facts(null, 10, more: [$"ATTR\t{Db}\tolcDbRootPW\twithheld\t-"]),
        }))[0];
        Assert.Equal([LdapDatabaseObserved.Withheld], observed.Attributes["olcDbRootPW"]);
        Assert.Throws<MalformedFactsException>(() => provider.ParseFacts([Declared()], new FactAnswers(new Dictionary<string, IReadOnlyList<string>>
        {
            ["ldap_database"] = ["SLAPD\tpresent", "EVIL\tx"],
        })));
    }

    private static object Parse(IReadOnlyList<string> facts)
    {
        IResourceProvider provider = new LdapProvider();
        return provider.ParseFacts([Declared()], new FactAnswers(new Dictionary<string, IReadOnlyList<string>> { ["ldap_database"] = facts }))[0];
    }

    /// <summary>
    /// Class: a hostile host answer the read never prints, taken as data. The DB record's DN goes into the apply's LDIF
    /// (dn: …), so only an MDB database of cn=config is one; a record twice, a size that does not parse, bad base64, a page
    /// size no LMDB has or pages × page past 1 PiB (which wrapped the sizing rule's product) are malformed answers.
    /// </summary>
    [Theory]
    [InlineData("DB\tcn=config")]
    [InlineData("DB\tolcDatabase={1}mdb,cn=config\u001b[2J")]
    [InlineData("DB\tolcDatabase={2}mdb,cn=config,dc=x")]
    [InlineData("DB\tolcDatabase={1}mdb,cn=config")]
    [InlineData("MDB\t/var/lib/ldap\t10485760\t4096\t10")]
    [InlineData("MDB\t/srv/other\t1e9\t4096\t10")]
    [InlineData("ATTR\tolcDatabase={1}mdb,cn=config\tolcDbNoSync\tbase64\t!!!")]
    [InlineData("ATTR\tolcDatabase={1}mdb,cn=config\tuserPassword\ttext\tx")]
    public void A_record_the_read_never_prints_is_a_malformed_answer(string record)
    {
        var line = System.Text.RegularExpressions.Regex.Unescape(record);
        Assert.Throws<MalformedFactsException>(() => Parse(Facts(null, 10, more: [line])));
    }

    [Theory]
    [InlineData(4096L, 1L << 40)]
    [InlineData(3000L, 10L)]
    [InlineData(1L << 20, 10L)]
    public void Sizes_no_lmdb_has_are_a_malformed_answer_not_a_wrapped_product(long pageSize, long pages)
    {
        Assert.Throws<MalformedFactsException>(() => Parse(
        [
            "SLAPD\tpresent", $"DB\t{Db}", $"ATTR\t{Db}\tolcSuffix\ttext\tdc=example,dc=test",
            $"ATTR\t{Db}\tolcDbDirectory\ttext\t/var/lib/ldap", $"MDB\t/var/lib/ldap\t10485760\t{pageSize}\t{pages}",
        ]));
        Assert.Throws<MalformedFactsException>(() => Parse(["SLAPD\tmissing", $"DB\t{Db}"]));
    }

    /// <summary>
    /// Class: a secret of cn=config in the plan. The controller withholds a secret's name whatever the host answered (a
    /// host whose filter let olcDbACLPasswd or a bind's credentials= through), and the host's filter names the same words.
    /// </summary>
    [Fact]
    public void A_secret_the_host_did_not_withhold_is_withheld_by_the_controller_and_both_filters_agree()
    {
        var observed = (LdapDatabaseObserved)Parse(Facts(null, 10, more:
        [
            $"ATTR\t{Db}\tolcDbACLPasswd\ttext\ts3cret", $"ATTR\t{Db}\tolcDbIDAssertBind\ttext\tbindmethod=simple credentials=s3cret",
            $"ATTR\t{Db}\tolcDbRootPW\tbase64\t" + Convert.ToBase64String("s3cret"u8.ToArray()),
        ]));

        Assert.All(["olcDbACLPasswd", "olcDbIDAssertBind", "olcDbRootPW"], a => Assert.Equal([LdapDatabaseObserved.Withheld], observed.Attributes[a]));
        Assert.DoesNotContain("s3cret", string.Join("\n", observed.Attributes.SelectMany(a => a.Value)));
        Assert.Contains($"if (tolower(name) ~ /{LdapNames.SensitivePattern}/)", Reconciler.Core.Shell.ShellFiles.Load("ldap-read.sh"));
        Assert.False(LdapNames.IsSensitive("olcDbIndex"));
    }
}
