using NJsonSchema;
using Reconciler.Cli.Views;
using Reconciler.Core.Engine;
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
}
