using System.Text;

namespace Reconciler.Cli.Redaction;

/// <summary>
/// Wraps the console: whole strings are redacted as written; single characters are held until the end of the line
/// so a secret written a character at a time is still caught.
/// </summary>
internal sealed class RedactingTextWriter(TextWriter inner, RedactionScope scope) : TextWriter
{
    private readonly StringBuilder _line = new();
    private readonly Lock _gate = new();

    public override Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    public override string NewLine
    {
        get => inner.NewLine;
#pragma warning disable CS8765 // TextWriter.NewLine's setter accepts null; the inner writer handles it.
        set => inner.NewLine = value;
#pragma warning restore CS8765
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            _line.Append(value);
            if (value == '\n') FlushLine();
        }
    }

    public override void Write(string? value)
    {
        if (value is null) return;
        lock (_gate)
        {
            _line.Append(value);
            FlushLine();
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => Write((value ?? "") + inner.NewLine);

    public override void WriteLine() => Write(inner.NewLine);

    public override void Flush()
    {
        lock (_gate)
        {
            FlushLine();
            inner.Flush();
        }
    }

    public override Task FlushAsync() => Task.Run(Flush);

    protected override void Dispose(bool disposing)
    {
        if (disposing) Flush();
        base.Dispose(disposing);
    }

    private void FlushLine()
    {
        if (_line.Length == 0) return;
        inner.Write(scope.Redact(_line.ToString()));
        _line.Clear();
    }
}
