using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Shell;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Engine;

/// <summary>The connection is lost after the apply script went out: the engine reports UNKNOWN, the host's record tells.</summary>
public sealed class ConnectionLossEngineTests : IDisposable
{
    private readonly TempDir _dir = new();
    private static readonly ProviderRegistry Providers = new([new FileProvider()]);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_connection_lost_during_apply_is_reported_unknown_and_the_next_plan_reads_the_hosts_own_record()
    {
        // Given a transport whose apply script does run on the "host", but whose answer never comes back
        var root = Directory.CreateDirectory(_dir["h"]).FullName;
        var motd = Path.Combine(root, "motd");
        FakeTransport? transport = null;
        transport = new FakeTransport
        {
            OnScript = (host, script, _) =>
            {
                if (!script.Contains("RC_RUN_", StringComparison.Ordinal)) return Task.FromResult<ScriptResult?>(null);
                var local = script.Replace(Sh.Quote(new ReconcileOptions().StateRoot), Sh.Quote(transport!.StateRootOf(host.Name)), StringComparison.Ordinal);
                LocalShell.Run(local);
                throw new TransportException($"{host.Name}: connection lost: the host did not answer a liveness probe within 10s");
            },
        };
        var engine = new Reconciliation(transport, Providers, new ReconcileOptions(Controller: "ctl"));
        var state = new DesiredState([new HostDesiredState(
            new HostSpec("h", "10.0.0.1", 22, "root", "~/.ssh/id", "SHA256:x", [], new Dictionary<string, object?>()),
            [Res.File(motd, "welcome\n")])]);

        // When apply runs
        var result = await engine.ApplyAsync(state, new ApplySettings(), null, CancellationToken.None);

        // Then its outcome is unknown — not failed, and not "0 changes applied"
        var host = Assert.Single(result.Hosts);
        Assert.False(result.Succeeded);
        Assert.Contains("connection lost", host.Unknown);
        Assert.Null(host.Error);
        // (How the CLI shows an unknown outcome is Reconciler.Cli.Tests' ApplyTextViewTests.)

        // And the host applied the change and recorded it, which the next plan reads
        Assert.Equal("welcome\n", File.ReadAllText(motd));
        var plan = await new Reconciliation(new FakeTransport(), Providers, new ReconcileOptions()).PlanAsync(state, null, CancellationToken.None);
        Assert.Null(plan.Hosts[0].LastApply); // another transport is another host: nothing recorded there
        var again = await engine.PlanAsync(state, null, CancellationToken.None);
        Assert.Equal(new LastApply(1, 0, 1, again.Hosts[0].LastApply?.At, again.Hosts[0].LastApply?.By, false), again.Hosts[0].LastApply);
        Assert.StartsWith("ctl run ", again.Hosts[0].LastApply!.By);
    }

    [Fact]
    public void An_unattended_record_reads_back_as_a_note_without_host_markup()
    {
        var record = HostRecord.ParseLastApply(
        [
            "commit=abc", "last_apply=2 1 3", "last_apply_at=2026-12-01T23:00:00Z", "last_apply_by=ci run 1 [x](http://evil) `y`",
            "last_apply_unattended=yes",
        ]);

        Assert.NotNull(record);
        Assert.Equal("the last apply (ci run 1 xhttp:evil y) lost its controller's connection; the host finished it on its own " +
                     "at 2026-12-01T23:00:00Z: 2 of 3 change(s) applied, 1 failed", record.UnattendedNote);
        Assert.Null(HostRecord.ParseLastApply(["last_apply=garbage"]));
        Assert.Null((record with { Unattended = false }).UnattendedNote);
    }
}
