namespace Reconciler.Ssh;

/// <summary>
/// Which key exchanges a connection offers first. SSH.NET computes them in managed code, where the hybrid post-quantum
/// sntrup761x25519 (what OpenSSH 9.0–9.8 hosts, Debian 12's among them, would pick) costs about a tenth of a second of the
/// controller's CPU per connection: more than everything else a plan of one host does, and minutes for a thousand hosts.
/// mlkem768x25519 (OpenSSH 9.9 and later) is post-quantum and cheap, so it comes first either way.
/// </summary>
public enum KeyExchangeOrder
{
    /// <summary>OpenSSH's own order: every hybrid post-quantum exchange before the classical ones. For runs that write
    /// (apply sends secrets, whose recorded traffic must stay closed to a later quantum computer).</summary>
    PostQuantumFirst,

    /// <summary>mlkem768x25519, then curve25519, then the rest: for runs that only read (plan, drift), whose answers hold no
    /// secret — a sensitive file comes back as a digest, never as its text.</summary>
    FastFirst,
}

public static class KeyExchangeOrders
{
    private static readonly string[] Fast = ["mlkem768x25519-sha256", "curve25519-sha256", "curve25519-sha256@libssh.org"];

    /// <summary>Reorders <paramref name="algorithms"/> (SSH.NET offers them in the dictionary's order) for <paramref name="order"/>.</summary>
    public static void Arrange<T>(this KeyExchangeOrder order, IDictionary<string, T> algorithms)
    {
        if (order != KeyExchangeOrder.FastFirst)
        {
            return;
        }

        var all = algorithms.ToList();
        algorithms.Clear();
        foreach (var (name, factory) in all.Where(a => Fast.Contains(a.Key)).OrderBy(a => Array.IndexOf(Fast, a.Key)).Concat(all.Where(a => !Fast.Contains(a.Key))))
        {
            algorithms.Add(name, factory);
        }
    }
}
