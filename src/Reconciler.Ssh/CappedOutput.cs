using System.Text;

namespace Reconciler.Ssh;

/// <summary>
/// One output stream of a running command, kept in memory up to a byte limit and charged, as it is read, to the run's
/// <see cref="HostOutputBudget"/> (when there is one). Past the limit, or when the budget has no more for this host,
/// nothing more is kept: the reader signals the overflow (which stops the remote command) and goes on discarding until
/// the stream ends, so what SSH.NET buffers for the stream cannot grow while the command is being stopped.
/// Kept bytes are chunks of the size read (no doubling buffer), decoded straight into one string.
/// </summary>
internal sealed class CappedOutput(int limit, HostOutputBudget.Lease? lease = null)
{
    /// <summary>How much may pile up unread in SSH.NET while this reader waits for budget (see <see cref="HostOutputBudget"/>).</summary>
    private const long UnreadWhileWaiting = 1024 * 1024;

    private readonly List<byte[]> _kept = [];
    private long _length;
    private volatile OutputOverflow _overflow;

    public int Limit => limit;

    /// <summary>Set before the overflow is signalled, so whoever sees the signal can tell which stream caused it and why.</summary>
    public OutputOverflow Overflow => _overflow;

    public bool Exceeded => _overflow != OutputOverflow.None;

    /// <summary>Bytes read before the reader stopped keeping them.</summary>
    public long Length => Interlocked.Read(ref _length);

    public string Text
    {
        get
        {
            var decoder = Encoding.UTF8.GetDecoder();
            var chars = 0;
            for (var i = 0; i < _kept.Count; i++)
            {
                chars += decoder.GetCharCount(_kept[i], flush: i == _kept.Count - 1);
            }

            decoder.Reset();
            return string.Create(chars, (_kept, decoder), static (span, state) =>
            {
                var (kept, decoder) = state;
                for (var i = 0; i < kept.Count; i++)
                {
                    var written = decoder.GetChars(kept[i], span, flush: i == kept.Count - 1);
                    span = span[written..];
                }
            });
        }
    }

    public Task DrainAsync(Stream stream, CancellationTokenSource overflow) => Task.Run(() =>
    {
        var buffer = new byte[81920];
        try
        {
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (Exceeded) continue;
                var why = Keep(buffer.AsSpan(0, read), stream, overflow.Token);
                if (why == OutputOverflow.None) continue;

                _overflow = why;
                _kept.Clear();
                lease?.Settle();
                overflow.Cancel();
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException or OperationCanceledException)
        {
            // The connection closed under the reader; the command's own result says why.
        }
    });

    private OutputOverflow Keep(ReadOnlySpan<byte> read, Stream stream, CancellationToken stopped)
    {
        if (_length + read.Length > limit)
        {
            return OutputOverflow.Limit;
        }

        if (lease is not null)
        {
            var cost = HostOutputBudget.CostOf(read.Length, read.Count((byte)'\n'));
            // Waiting is worth it only while the output arriving meanwhile stays small (SSH.NET keeps it for us).
            if (!lease.Charge(cost, () => !stopped.IsCancellationRequested && Unread(stream) <= UnreadWhileWaiting))
            {
                return OutputOverflow.Budget;
            }
        }

        _kept.Add(read.ToArray());
        Interlocked.Add(ref _length, read.Length);
        return OutputOverflow.None;
    }

    private static long Unread(Stream stream)
    {
        try
        {
            return stream.Length;
        }
        catch (Exception e) when (e is NotSupportedException or ObjectDisposedException)
        {
            return long.MaxValue;
        }
    }
}

/// <summary>Why a stream's output stopped being kept.</summary>
internal enum OutputOverflow
{
    None,

    /// <summary>The command printed more than its own cap.</summary>
    Limit,

    /// <summary>The run's budget for host output had no more for this host.</summary>
    Budget,
}
