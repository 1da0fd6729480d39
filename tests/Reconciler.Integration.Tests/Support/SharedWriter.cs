using System.Text;

namespace Reconciler.Integration.Tests.Support;

/// <summary>
/// A console stand-in that a long-running command writes to while the test reads it: every write and every read
/// takes one lock, so a test polling for a line never sees a half-written one.
/// </summary>
public sealed class SharedWriter : TextWriter
{
    private readonly StringBuilder _text = new();

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get
        {
            lock (_text) return _text.ToString();
        }
    }

    public override void Write(char value)
    {
        lock (_text) _text.Append(value);
    }

    public override void Write(string? value)
    {
        lock (_text) _text.Append(value);
    }

    public override void WriteLine(string? value)
    {
        lock (_text) _text.Append(value).Append(NewLine);
    }

    /// <summary>Polls until the text contains <paramref name="expected"/>; false after <paramref name="timeout"/> or when <paramref name="gaveUp"/> completes first.</summary>
    public async Task<bool> WaitForAsync(string expected, TimeSpan timeout, Task gaveUp)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Text.Contains(expected, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline || gaveUp.IsCompleted) return false;
            await Task.Delay(200);
        }

        return true;
    }
}
