using Reconciler.Core.Model;

namespace Reconciler.Core.Tests.Selection;

/// <summary>Issue 22 item 3: --shard K/N assigns hosts by rendezvous hashing, deterministically and stably as N grows.</summary>
public sealed class ShardTests
{
    private static readonly string[] Names = Enumerable.Range(1, 1000).Select(i => $"host-{i:0000}.example.org").ToArray();

    [Fact]
    public void Growing_from_3_to_4_shards_moves_about_a_quarter_of_the_hosts_and_only_to_the_new_shard()
    {
        var moved = 0;
        foreach (var name in Names)
        {
            var (before, after) = (Shard.Of(name, 3), Shard.Of(name, 4));
            if (before == after) continue;
            Assert.Equal(4, after);
            moved++;
        }

        // 1/4 of 1000 is 250; the binomial spread (σ ≈ 14) stays well inside 200..300.
        Assert.InRange(moved, 200, 300);
    }

    [Fact]
    public void Every_host_has_exactly_one_shard_and_the_shards_are_about_even()
    {
        for (var count = 1; count <= 5; count++)
        {
            var shards = Enumerable.Range(1, count).Select(k => new Shard(k, count)).ToList();
            Assert.All(Names, n => Assert.Single(shards, s => s.Owns(n)));
            Assert.All(shards, s => Assert.InRange(Names.Count(s.Owns), 1000 / count * 0.8, 1000 / count * 1.2));
        }
    }

    [Fact]
    public void The_assignment_is_fixed_by_the_name_alone()
    {
        // Known values (worked out apart, with Python's hashlib): SHA-256 of "K\nNAME", the first 8 bytes big-endian, the
        // highest wins — not a per-process string hash, so every job of a matrix agrees.
        Assert.Equal([3, 3, 1], new[] { "web1", "web2", "mail1" }.Select(n => Shard.Of(n, 3)));
        Assert.Equal(Names.Select(n => Shard.Of(n, 7)), Names.Select(n => Shard.Of(n, 7)));
    }

    [Theory]
    [InlineData("1/1", 1, 1)]
    [InlineData("2/3", 2, 3)]
    [InlineData("10/10", 10, 10)]
    public void K_of_N_is_read(string text, int index, int count)
    {
        Assert.Equal(new Shard(index, count), Shard.Parse(text, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("256/256")]
    [InlineData("1/256")]
    public void Up_to_256_shards_are_read(string text)
    {
        Assert.Equal(text, Shard.Parse(text, out var error)?.ToString());
        Assert.Null(error);
    }

    /// <summary>Once 1/2147483647 was read: every host's shard then took two billion hashes, and merge listed two billion missing shards.</summary>
    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("1/0")]
    [InlineData("3")]
    [InlineData("a/b")]
    [InlineData(" 1/2")]
    [InlineData("+1/2")]
    [InlineData("1/2/3")]
    [InlineData("")]
    [InlineData("0/0")]
    [InlineData("-1/3")]
    [InlineData("1/257")]
    [InlineData("1/2147483647")]
    [InlineData("1/99999999999")]
    public void Anything_else_is_refused_in_one_line(string text)
    {
        Assert.Null(Shard.Parse(text, out var error));
        Assert.Equal($"--shard '{text}': expected K/N with 1 <= K <= N <= 256, e.g. 2/3", error);
    }
}
