using Reconciler.Cli.Secrets;
using Reconciler.Cli.Views;
using Reconciler.Core.Engine;
using Reconciler.Core.Model;
using Reconciler.Core.Text;
using Reconciler.Specs;

namespace Reconciler.Cli.Features;

/// <summary>
/// <c>reconciler unlock HOST [--force]</c>: clears an apply lock left by a run that is gone. A lock whose holder is
/// provably gone (older than the lock's time limit, or taken on this machine by a process that no longer runs) is
/// removed; one whose holder may still be applying is refused unless <c>--force</c>. The removal is a compare-and-delete
/// on the host: a lock another run took meanwhile is left alone. Secrets are checked by name only: unlocking needs the
/// inventory, not the values.
/// </summary>
internal sealed class UnlockFeature(SpecGate gate, IHostTransport transport, Terminal terminal, ReconcileOptions options, Func<string, string?> environment)
{
    public async Task<int> RunAsync(string specs, string hostName, bool force, CancellationToken ct)
    {
        var (names, error) = SecretNamesOnly.Open(environment);
        if (names is null)
        {
            terminal.Error.WriteLine($"error: {error}");
            return ExitCodes.Error;
        }

        var state = gate.Load(specs, specLoader: new SpecLoader(names));
        if (state is null) return ExitCodes.Error;
        if (state.Hosts.FirstOrDefault(h => h.Host.Name == hostName)?.Host is not { } host)
        {
            var known = HostSelection.Parse(hostName)!.Problem(state.Hosts.Select(h => h.Host).ToList());
            terminal.Error.WriteLine($"unlock: {known ?? $"'{hostName}' names a group or pattern; name one host"}");
            return ExitCodes.Error;
        }

        try
        {
            await using var session = await transport.ConnectAsync(host, ct);
            var held = ApplyLocks.ParseHeld((await session.RunScriptAsync(ApplyLocks.InspectScript(options.StateRoot), ct)).Stdout.Split('\n'));
            if (held is null)
            {
                terminal.Out.WriteLine($"{host.Name}: no apply lock is held.");
                return ExitCodes.Ok;
            }

            var stale = HeldLockText.WhyStale(held, options.EffectiveLockTtl);
            // Host text, escaped: the owner file is whatever is on the host.
            var who = VisibleText.Inline($"{held.Holder}{(held.Since is null ? "" : $" since {held.Since}")}");
            if (stale is null && !force)
            {
                terminal.Error.WriteLine($"{host.Name}: refused: locked by {who}, and that run may still be applying. " +
                                         "If you know it is gone (its machine is off, its job was cancelled), run again with --force.");
                return ExitCodes.Error;
            }

            var answer = ApplyLocks.ParseCleared((await session.RunScriptAsync(ApplyLocks.ClearScript(options.StateRoot, held), ct)).Stdout);
            // The path is host text too: printed escaped.
            var aside = answer.SetAside is { } path
                ? $" It could not be put back, because yet another run took the lock meanwhile: it is at {VisibleText.Inline(path)}; remove that directory once its run is gone."
                : "";
            switch (answer.Status)
            {
                case ClearStatus.Removed:
                    terminal.Out.WriteLine($"{host.Name}: removed the apply lock held by {who} ({stale ?? "forced"}).");
                    return ExitCodes.Ok;
                case ClearStatus.None:
                    terminal.Out.WriteLine($"{host.Name}: the lock was released meanwhile; nothing to remove.");
                    return ExitCodes.Ok;
                case ClearStatus.Unreadable:
                    terminal.Error.WriteLine($"{host.Name}: the lock's owner file cannot be read (not a regular file any user may read), " +
                                             $"so whether it is still the lock shown cannot be told; it was left alone. " +
                                             $"Remove {options.StateRoot}/lock on the host by hand once you know its run is gone.{aside}");
                    return ExitCodes.Error;
                default:
                    terminal.Error.WriteLine($"{host.Name}: another run took the lock meanwhile; it was left alone.{aside}");
                    return ExitCodes.Error;
            }
        }
        catch (TransportException e)
        {
            terminal.Error.WriteLine($"unlock: {e.Message}");
            return ExitCodes.Error;
        }
    }
}
