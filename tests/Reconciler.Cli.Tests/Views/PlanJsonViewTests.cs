using System.Runtime.CompilerServices;
using NJsonSchema;
using Reconciler.Cli.Views;
using Reconciler.Core.Engine;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Cli.Tests.Views;

/// <summary>
/// The saved plan (the JSON view) carries what the engine produced — commit, digests, the host's applied state and the
/// fingerprints — back intact, and is valid against the published schema. The plan comes from the real engine over
/// <see cref="FakeTransport"/>, not a hand-made one, so every field the engine fills is in it.
/// </summary>
public sealed class PlanJsonViewTests : IDisposable
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private static readonly PlanKey Key = PlanKey.From("plan-json-view-tests-plan-key-01234567").Key!;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private DesiredState State()
    {
        var root = Directory.CreateDirectory(_dir["h"]).FullName;
        File.WriteAllText(Path.Combine(root, "in-sync"), "same\n");
        var host = new HostSpec("h", "10.0.0.1", 22, "root", "~/.ssh/id", "SHA256:x", [], new Dictionary<string, object?>());
        return new DesiredState([new HostDesiredState(host, [Res.File(Path.Combine(root, "motd"), "welcome\n"), Res.File(Path.Combine(root, "in-sync"), "same\n")])])
        {
            Commit = Commit,
        };
    }

    private static Reconciliation Engine(FakeTransport transport) =>
        new(transport, new ProviderRegistry([new FileProvider()]), new ReconcileOptions(Controller: "test-ctl", PlanKey: Key));

    [Fact]
    public async Task A_glob_match_keeps_its_pattern_through_the_saved_plan_and_a_literal_change_writes_none()
    {
        var root = Directory.CreateDirectory(_dir["home"]).FullName;
        Directory.CreateDirectory(Path.Combine(root, "alice"));
        var host = new HostSpec("h", "10.0.0.1", 22, "root", "~/.ssh/id", "SHA256:x", [], new Dictionary<string, object?>());
        var glob = Res.File(root + "/*", type: FileType.Directory, mode: "0700") with { Glob = true };
        var literal = Res.File(Path.Combine(root, "motd"), "hi\n");
        var plan = await Engine(new FakeTransport()).PlanAsync(new DesiredState([new HostDesiredState(host, [glob, literal])]), null, CancellationToken.None);

        var json = PlanJsonView.Render(plan, DateTimeOffset.UnixEpoch);
        var back = PlanJsonView.Parse(json);

        var errors = (await JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "schemas", "plan.schema.json"))).Validate(json);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
        Assert.Equal(1, json.Split("\"matched_by\"").Length - 1);
        Assert.Equal([root + "/*", null], back.Hosts[0].Changes.Select(c => c.MatchedBy));
        Assert.Null(Reconciliation.Stale(back.Hosts[0], plan.Hosts[0]));
    }

    [Fact]
    public async Task The_json_plan_round_trips_with_commit_digests_applied_state_and_fingerprints_and_validates()
    {
        var transport = new FakeTransport();
        await Engine(transport).ApplyAsync(State(), new ApplySettings(), null, CancellationToken.None);
        File.Delete(Path.Combine(_dir["h"], "motd"));
        var plan = await Engine(transport).PlanAsync(State(), null, CancellationToken.None) with { BaseCommit = Commit, RemovedHosts = ["gone"] };

        var json = PlanJsonView.Render(plan, DateTimeOffset.UnixEpoch);
        var back = PlanJsonView.Parse(json);

        var errors = (await JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "schemas", "plan.schema.json"))).Validate(json);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
        Assert.Equal(plan.Commit, back.Commit);
        Assert.Equal(plan.Digest, back.Digest);
        Assert.Equal(["gone"], back.RemovedHosts);
        Assert.Equal(plan.Hosts[0].Digest, back.Hosts[0].Digest);
        Assert.Equal(Commit, back.Hosts[0].Applied?.Commit);
        Assert.Equal(plan.Hosts[0].Changes.Select(c => (c.Address, c.Action, c.Fingerprint)), back.Hosts[0].Changes.Select(c => (c.Address, c.Action, c.Fingerprint)));
        Assert.Null(Reconciliation.Stale(back.Hosts[0], plan.Hosts[0]));
    }

    [Fact]
    public void A_plan_of_another_format_version_is_refused_with_a_one_line_reason()
    {
        var e = Assert.Throws<FormatException>(() => PlanJsonView.Parse("{\"format_version\": \"1\", \"hosts\": []}"));

        Assert.Equal("not a reconciler plan of format_version \"3\" (found \"1\"); re-plan with this version", e.Message);
    }

    private static readonly AttributeChange[] EveryValue =
    [
        AttributeChange.Of(new("mode"), "0644", "0600"),
        AttributeChange.Of(new("owner"), null, "root"),
        AttributeChange.Of(new("replaces"), "192.0.2.9/32", null),
        AttributeChange.Of(new("UMASK"), "", "027"),
        new(new("content"), new PlanValue.Withheld("/etc/shadow is not world-readable (640 root:shadow)", "593 bytes, 20 line(s)"), new PlanValue.Text("a\nb\n")),
        new(new("odd"), new PlanValue.Text("x"), new PlanValue.Withheld("r; with a semicolon", "value differs")),
        new(new("row #0123456789ab"), new PlanValue.Text("present"), new PlanValue.Deleted()),
        new(new("gone"), new PlanValue.Deleted(), new PlanValue.Absent()),
        AttributeChange.Of(new("looks withheld"), "(not shown: a; b)", "deleted"),
        AttributeChange.Secret(new("password"), before: true, after: true),
    ];

    private static readonly string Fingerprint = "hmac-sha256:" + new string('0', 64);

    private static Plan PlanOf(params AttributeChange[] attributes) =>
        new([new HostPlan("h", [new ResourceChange(new ResourceAddress("file", "/x"), ChangeAction.Update, attributes, new SourceLocation("a.yaml", 1, 1)) { Fingerprint = Fingerprint }])]);

    [Fact]
    public async Task Every_value_case_reads_back_as_the_same_typed_value_and_validates()
    {
        var json = PlanJsonView.Render(PlanOf(EveryValue), DateTimeOffset.UnixEpoch);

        var back = PlanJsonView.Parse(json).Hosts[0].Changes[0].Attributes;

        Assert.Equal(EveryValue, back);
        var errors = (await JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "schemas", "plan.schema.json"))).Validate(json);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Fact]
    public void A_secret_is_written_as_neither_side_and_renders_the_same_when_read_back()
    {
        var plan = PlanOf(
            AttributeChange.Of(new("content"), null, "s3cr3t-new\n").SecretIf(true),
            AttributeChange.Of(new("password"), "s3cr3t-old", null).SecretIf(true));

        var json = PlanJsonView.Render(plan, DateTimeOffset.UnixEpoch);
        var back = PlanJsonView.Parse(json);

        Assert.DoesNotContain("s3cr3t", json);
        Assert.All(back.Hosts[0].Changes[0].Attributes, a => Assert.True(a.Sensitive));
        Assert.Equal(PlanTextView.Render(plan, Styles.Plain), PlanTextView.Render(back, Styles.Plain));
        Assert.Equal(PlanMarkdownView.Render(plan), PlanMarkdownView.Render(back));
        Assert.Equal(DriftMarkdownView.Render(plan, DateTimeOffset.UnixEpoch), DriftMarkdownView.Render(back, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Text_that_reads_like_a_marker_is_written_without_one()
    {
        var json = PlanJsonView.Render(PlanOf(AttributeChange.Of(new("looks withheld"), "(not shown: a; b)", "deleted")), DateTimeOffset.UnixEpoch);

        Assert.DoesNotContain("_withheld", json);
        Assert.DoesNotContain("_deleted", json);
    }

    [Fact]
    public void A_plan_in_the_shape_written_before_typed_values_reads_back_and_writes_out_unchanged()
    {
        // The approved snapshot is a plan exactly as the format-3 writer has always made it.
        var old = File.ReadAllText(ApprovedPlanJson());

        var back = PlanJsonView.Parse(old);

        Assert.Equal(old, PlanJsonView.Render(back, SamplePlans.GeneratedAt));
        Assert.Contains(back.Hosts.SelectMany(h => h.Changes).SelectMany(c => c.Attributes), a => a.Sensitive);
    }

    [Fact]
    public void An_older_plan_s_withheld_and_deleted_values_read_as_the_text_it_wrote()
    {
        // Older plans did not say which values were withheld or deleted parts: their text is read as written (apply
        // --plan reads only the fingerprints and actions), and the plan still writes out exactly as it was.
        const string old = """
            {
              "format_version": "3",
              "generated_at": "1970-01-01T00:00:00.0000000+00:00",
              "commit": null,
              "base_commit": null,
              "digest_key": null,
              "digest": null,
              "summary": {
                "create": 0,
                "update": 1,
                "delete": 0,
                "skip": 0,
                "blocked": 0,
                "hosts": 1,
                "hosts_unreachable": 0
              },
              "removed_hosts": [],
              "hosts": [
                {
                  "name": "h",
                  "status": "changes",
                  "error": null,
                  "digest": null,
                  "applied": null,
                  "changes": [
                    {
                      "address": "mariadb_rows[app.t]",
                      "kind": "mariadb_rows",
                      "name": "app.t",
                      "action": "update",
                      "note": null,
                      "fingerprint": "hmac-sha256:0000000000000000000000000000000000000000000000000000000000000000",
                      "source": {
                        "file": "a.yaml",
                        "line": 1,
                        "column": 1
                      },
                      "attributes": [
                        {
                          "name": "row alice note",
                          "before": "(not shown: note is not a public column; value differs)",
                          "after": "x",
                          "sensitive": false
                        },
                        {
                          "name": "row #0123456789ab",
                          "before": "present",
                          "after": "deleted",
                          "sensitive": false
                        },
                        {
                          "name": "row alice password",
                          "before": null,
                          "after": null,
                          "sensitive": true
                        }
                      ]
                    }
                  ]
                }
              ]
            }
            """;

        var back = PlanJsonView.Parse(old);

        var change = back.Hosts[0].Changes[0];
        Assert.Equal(
            [
                AttributeChange.Of(new("row alice note"), "(not shown: note is not a public column; value differs)", "x"),
                AttributeChange.Of(new("row #0123456789ab"), "present", "deleted"),
                AttributeChange.Secret(new("row alice password"), before: true, after: true),
            ],
            change.Attributes);
        Assert.Equal((ChangeAction.Update, Fingerprint), (change.Action, change.Fingerprint));
        Assert.Equal(old, PlanJsonView.Render(back, DateTimeOffset.UnixEpoch));
    }

    private static string ApprovedPlanJson([CallerFilePath] string callerFile = "") =>
        Path.Combine(Path.GetDirectoryName(callerFile)!, "Approved", "plan.json.approved.txt");
}
