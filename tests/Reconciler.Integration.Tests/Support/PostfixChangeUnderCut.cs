using Reconciler.Integration.Tests.Fixtures;

namespace Reconciler.Integration.Tests.Support;

/// <summary>
/// A mail host with one pending postfix change (message_size_limit), for the tests that cut the controller's connection
/// while the postfix transaction runs: its stage, check, swap, reload and probe take seconds the connection may not see.
/// </summary>
public sealed class PostfixChangeUnderCut : IAsyncDisposable
{
    /// <summary>What <see cref="SettledAsync"/> says once the change is in and the host's lock released.</summary>
    public const string Settled = "20480000 unlocked";

    /// <summary>The controller's sshd session process is killed: the connection closes loudly.</summary>
    public const string KillSession = "pkill -f 'sshd: roo[t]@notty'";

    private PostfixChangeUnderCut(DebianHost host, SpecsWorkspace specs)
    {
        Host = host;
        Specs = specs;
    }

    public DebianHost Host { get; }

    public SpecsWorkspace Specs { get; }

    public static async Task<PostfixChangeUnderCut> StartAsync()
    {
        var host = await DebianHost.StartAsync(image: "reconciler/host-mail:1");
        var specs = SpecsWorkspace.Create();
        await specs.WriteInventoryAsync([("mail1", host, DebianHost.RootUser, "mail")]);
        specs.Write("mail/postfix.yaml", "kind: resources\ntarget: { host: mail1 }\npostfix:\n  main:\n    message_size_limit: 20480000\n");
        return new PostfixChangeUnderCut(host, specs);
    }

    /// <summary>
    /// Starts an apply, and runs <paramref name="cutCommand"/> on the host as soon as the transaction has staged its copy
    /// (polled every 50 ms, <paramref name="tries"/> times). Returns the running apply, and "cut" or "never".
    /// </summary>
    public async Task<(Task<CliRun> Apply, string Cut)> ApplyAndCutWhenStagedAsync(string cutCommand, int tries)
    {
        var apply = CliRun.ExecAsync("apply", "--yes", "--specs", Specs.Directory);
        var cut = await Host.ExecAsync(
            $"for i in $(seq 1 {tries}); do ls -d /etc/.reconciler-postfix.* >/dev/null 2>&1 && {{ {cutCommand} && echo cut; exit 0; }}; sleep 0.05; done; echo never");
        return (apply, cut.Stdout.Trim());
    }

    /// <summary>The live message_size_limit and whether the host's lock is held, e.g. <see cref="Settled"/>.</summary>
    public async Task<string> SettledAsync() =>
        (await Host.ExecAsync("printf '%s %s' \"$(postconf -h message_size_limit)\" \"$([ -d /var/lib/reconciler/lock ] && echo locked || echo unlocked)\"")).Stdout.Trim();

    /// <summary>Polls <see cref="SettledAsync"/> until it is <see cref="Settled"/> or <paramref name="tries"/> run out; the last answer.</summary>
    public async Task<string> WaitUntilSettledAsync(int tries, TimeSpan every)
    {
        var settled = "";
        for (var i = 0; i < tries && settled != Settled; i++)
        {
            await Task.Delay(every);
            settled = await SettledAsync();
        }

        return settled;
    }

    public async ValueTask DisposeAsync()
    {
        Specs.Dispose();
        await Host.DisposeAsync();
    }
}
