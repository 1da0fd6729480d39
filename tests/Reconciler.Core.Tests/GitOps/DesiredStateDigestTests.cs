using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.GitOps;

/// <summary>The per-host digest decides which hosts a change reaches and whether a saved plan still holds.</summary>
public sealed class DesiredStateDigestTests
{
    private static HostSpec Host(string name, string[]? groups = null, Dictionary<string, object?>? variables = null, string identity = "~/.ssh/id") =>
        new(name, "10.0.0.1", 22, "root", identity, "SHA256:x", groups ?? ["web"], variables ?? new Dictionary<string, object?> { ["site"] = "a" });

    private static HostDesiredState State(HostSpec host, params Resource[] resources) => new(host, resources);

    private static readonly PlanKey Key = PlanKey.From("digest-tests-plan-key-0123456789abcdef").Key!;

    [Fact]
    public void The_digest_is_keyed_so_a_plan_reader_without_the_key_cannot_test_guesses_of_a_secret_offline()
    {
        var secret = State(Host("web1"), Res.File("/etc/app.conf", "password=hunter2\n"));
        var other = PlanKey.From("another-plan-key-0123456789abcdefghij").Key!;

        // The unkeyed hash a guesser could recompute from the specs and a guessed value matches no digest in the plan.
        var unkeyed = CanonicalJson.Sha256(CanonicalJson.Serialize(new { value = (object)secret.Resources[0] }));
        Assert.NotEqual(unkeyed["sha256:".Length..], DesiredStateDigest.Of(secret, Key)["hmac-sha256:".Length..]);
        Assert.NotEqual(DesiredStateDigest.Of(secret, Key), DesiredStateDigest.Of(secret, other));
        Assert.NotEqual(Key.Id, other.Id);
        Assert.DoesNotContain("digest-tests", Key.Id!);
        Assert.Null(PlanKey.Ephemeral.Id);
    }

    [Fact]
    public void A_short_plan_key_is_refused_with_a_one_line_reason_that_does_not_quote_it()
    {
        var (key, error) = PlanKey.From("short-key-123");

        Assert.Null(key);
        Assert.Contains("RECONCILER_PLAN_KEY is too short", error);
        Assert.DoesNotContain("short-key-123", error);
    }

    [Fact]
    public void The_digest_is_stable_across_calls_and_equal_copies()
    {
        var a = State(Host("web1"), Res.File("/etc/motd", "hi\n"), Res.Sysctl("net.ipv4.tcp_syncookies", "1"));
        var b = State(Host("web1"), Res.File("/etc/motd", "hi\n"), Res.Sysctl("net.ipv4.tcp_syncookies", "1"));

        Assert.Equal(DesiredStateDigest.Of(a, Key), DesiredStateDigest.Of(a, Key));
        Assert.Equal(DesiredStateDigest.Of(a, Key), DesiredStateDigest.Of(b, Key));
        Assert.Matches("^hmac-sha256:[0-9a-f]{64}$", DesiredStateDigest.Of(a, Key));
    }

    [Fact]
    public void Variable_order_source_positions_and_the_identity_file_do_not_change_the_digest()
    {
        var one = new Dictionary<string, object?> { ["site"] = "a", ["role"] = "web" };
        var other = new Dictionary<string, object?> { ["role"] = "web", ["site"] = "a" };
        var moved = Res.File("/etc/motd", "hi\n") with { Source = new SourceLocation("elsewhere.yaml", 40, 1) };

        Assert.Equal(
            DesiredStateDigest.Of(State(Host("web1", variables: one), Res.File("/etc/motd", "hi\n")), Key),
            DesiredStateDigest.Of(State(Host("web1", variables: other, identity: "/ci/key"), moved), Key));
    }

    public static TheoryData<string, HostDesiredState> Changes => new()
    {
        { "content", State(Host("web1"), Res.File("/etc/motd", "bye\n"), Res.Sysctl("net.ipv4.tcp_syncookies", "1")) },
        { "mode", State(Host("web1"), Res.File("/etc/motd", "hi\n", mode: "0600"), Res.Sysctl("net.ipv4.tcp_syncookies", "1")) },
        { "order", State(Host("web1"), Res.Sysctl("net.ipv4.tcp_syncookies", "1"), Res.File("/etc/motd", "hi\n")) },
        { "variable", State(Host("web1", variables: new() { ["site"] = "b" }), Res.File("/etc/motd", "hi\n"), Res.Sysctl("net.ipv4.tcp_syncookies", "1")) },
        { "groups", State(Host("web1", groups: ["web", "db"]), Res.File("/etc/motd", "hi\n"), Res.Sysctl("net.ipv4.tcp_syncookies", "1")) },
        { "address", State(Host("web1") with { Address = "10.0.0.2" }, Res.File("/etc/motd", "hi\n"), Res.Sysctl("net.ipv4.tcp_syncookies", "1")) },
        { "removed", State(Host("web1"), Res.File("/etc/motd", "hi\n")) },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Any_change_of_what_the_host_must_look_like_changes_the_digest(string what, HostDesiredState changed)
    {
        var original = State(Host("web1"), Res.File("/etc/motd", "hi\n"), Res.Sysctl("net.ipv4.tcp_syncookies", "1"));

        Assert.NotEqual(DesiredStateDigest.Of(original, Key), DesiredStateDigest.Of(changed, Key));
        _ = what;
    }

    [Fact]
    public void A_variable_changed_in_a_group_reaches_every_member_and_nothing_else()
    {
        // As the spec loader layers them: the group's variable is in each member's variables, and a template renders it.
        DesiredState At(string groupValue) => new(
        [
            State(Host("web1", ["dsr"], new() { ["note"] = groupValue }), Res.File("/etc/issue.net", $"{groupValue} (web1)\n")),
            State(Host("web2", ["dsr"], new() { ["note"] = groupValue }), Res.File("/etc/issue.net", $"{groupValue} (web2)\n")),
            State(Host("mail1", ["mail"], new() { ["note"] = "mail" }), Res.File("/etc/issue.net", "mail\n")),
        ]);

        var affected = AffectedHosts.Compare(At("old"), At("new"));

        Assert.Equal(["web1", "web2"], affected.Changed);
        Assert.Equal(["mail1"], affected.Unchanged);
        Assert.Empty(affected.Added);
        Assert.Empty(affected.Removed);
        Assert.Equal(["web1", "web2"], affected.Affected);
    }

    [Fact]
    public void Added_hosts_are_affected_and_removed_hosts_are_listed_as_removed()
    {
        var before = new DesiredState([State(Host("web1")), State(Host("old1"))]);
        var after = new DesiredState([State(Host("web1")), State(Host("new1"))]);

        var affected = AffectedHosts.Compare(before, after);

        Assert.Equal(["new1"], affected.Added);
        Assert.Equal(["old1"], affected.Removed);
        Assert.Equal(["web1"], affected.Unchanged);
    }

    [Fact]
    public void Without_a_valid_base_every_host_is_new()
    {
        var affected = AffectedHosts.Compare(null, new DesiredState([State(Host("web1")), State(Host("web2"))]));

        Assert.Equal(["web1", "web2"], affected.Affected);
    }

    [Fact]
    public void The_state_digest_does_not_depend_on_host_order_but_on_every_host()
    {
        var a = State(Host("a"), Res.Sysctl("net.k", "1"));
        var b = State(Host("b"), Res.Sysctl("net.k", "1"));

        Assert.Equal(DesiredStateDigest.Of(new DesiredState([a, b]), Key), DesiredStateDigest.Of(new DesiredState([b, a]), Key));
        Assert.NotEqual(DesiredStateDigest.Of(new DesiredState([a, b]), Key), DesiredStateDigest.Of(new DesiredState([a]), Key));
    }
}
