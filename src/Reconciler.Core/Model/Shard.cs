using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Reconciler.Core.Model;

/// <summary>
/// One of <see cref="Count"/> parts of a fleet (<c>--shard K/N</c>), so that N jobs of a CI matrix each read about 1/N
/// of the hosts. A host belongs to the shard that gives it the highest weight (rendezvous hashing), the weight being
/// SHA-256 of the shard's number and the host's name: every controller, run and .NET version agrees, and when N grows
/// to N+1 a host either stays where it was or moves to the new shard — about 1/(N+1) of them move, none between old shards.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    /// <summary>
    /// The most shards a run may have: GitHub's limit of jobs in one matrix (scripts/shard-matrix.sh holds the same). Each
    /// host's shard costs N hashes, so an N read from a command line or a shard's file must be bounded.
    /// </summary>
    public const int MaxCount = 256;

    /// <summary>Reads "K/N" (1 ≤ K ≤ N ≤ <see cref="MaxCount"/>); null with a one-line reason otherwise.</summary>
    public static Shard? Parse(string text, out string? error)
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && Create(index, count) is { } shard)
        {
            error = null;
            return shard;
        }

        error = $"--shard '{text}': expected K/N with {Range}, e.g. 2/3";
        return null;
    }

    /// <summary>Shard K/N when 1 ≤ K ≤ N ≤ <see cref="MaxCount"/>, else null: the one check of a --shard and of a shard's file.</summary>
    public static Shard? Create(int index, int count) =>
        count is >= 1 and <= MaxCount && index >= 1 && index <= count ? new Shard(index, count) : null;

    /// <summary>The numbers <see cref="Create"/> takes, as its refusals say.</summary>
    public static string Range => $"1 <= K <= N <= {MaxCount}";

    /// <summary>Whether <paramref name="host"/> falls to this shard.</summary>
    public bool Owns(string host) => Of(host, Count) == Index;

    /// <summary>The shard (1..<paramref name="count"/>) that owns <paramref name="host"/>; ties (never seen in practice) go to the lowest.</summary>
    public static int Of(string host, int count)
    {
        var owner = 1;
        var best = Weight(1, host);
        for (var shard = 2; shard <= count; shard++)
        {
            var weight = Weight(shard, host);
            if (weight > best)
            {
                (owner, best) = (shard, weight);
            }
        }

        return owner;
    }

    public override string ToString() => $"{Index}/{Count}";

    private static ulong Weight(int shard, string host) =>
        BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"{shard.ToString(CultureInfo.InvariantCulture)}\n{host}")));
}
