namespace Reconciler.Ssh;

/// <summary>
/// One output stream of a running command, kept in memory up to a byte limit. Past the limit nothing more is kept:
/// the reader signals the overflow (which stops the remote command) and goes on discarding until the stream ends, so
/// what SSH.NET buffers for the stream cannot grow while the command is being stopped.
/// </summary>
internal sealed class CappedOutput(int limit)
{
    private readonly MemoryStream _kept = new();
    private volatile bool _exceeded;

    public int Limit => limit;

    /// <summary>Set before the overflow is signalled, so whoever sees the signal can tell which stream caused it.</summary>
    public bool Exceeded => _exceeded;

    public string Text => System.Text.Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length);

    public Task DrainAsync(Stream stream, CancellationTokenSource overflow) => Task.Run(() =>
    {
        var buffer = new byte[81920];
        try
        {
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (_exceeded) continue;
                if (_kept.Length + read > limit)
                {
                    _exceeded = true;
                    _kept.SetLength(0);
                    _kept.Capacity = 0;
                    overflow.Cancel();
                    continue;
                }

                _kept.Write(buffer, 0, read);
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException or OperationCanceledException)
        {
            // The connection closed under the reader; the command's own result says why.
        }
    });
}
