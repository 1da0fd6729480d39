using System.Text;
using Reconciler.Core.Text;

namespace Reconciler.Cli.Views;

/// <summary>
/// Every console and log writer of a run is one of these (App wraps stdout, stderr and the log output), so inert output
/// is a property of the writer, not of each call site that remembers to escape: an error message, a host's answer, an
/// exception's text, GitHub's error text or a view that forgot <see cref="TerminalText"/> all pass the same rules.
/// <list type="bullet">
/// <item>Controls (ESC sequences, CR, BEL, C1, bidi overrides…) are shown as visible escapes (<see cref="VisibleText"/>);
/// LF and tab stay.</item>
/// <item>A line whose first non-blank characters are <c>::</c> — which a GitHub runner reads as a workflow command,
/// after trimming the indentation — has its first colon shown as <c>\x3a</c>, even when the line arrives in pieces.</item>
/// <item>Only marks of <see cref="TerminalMarkup"/> become colours, cursor movement and workflow commands.</item>
/// </list>
/// Escaping is idempotent: text already escaped by a view passes unchanged.
/// </summary>
internal sealed class InertTextWriter(TextWriter inner) : TextWriter
{
    private readonly Lock _gate = new();

    /// <summary>The current line's leading blanks and marks, held until its first other character says whether it is a command.</summary>
    private readonly StringBuilder _pending = new();

    /// <summary>Where in <see cref="_pending"/> a first colon is held, or -1.</summary>
    private int _pendingColon = -1;

    private bool _atLineStart = true;

    public override Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

#pragma warning disable CS8765 // TextWriter.NewLine's setter accepts null; the inner writer handles it.
    public override string NewLine
    {
        get => inner.NewLine;
        set => inner.NewLine = value;
    }
#pragma warning restore CS8765

    public override void Write(char value) => Write(value.ToString());

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        lock (_gate)
        {
            inner.Write(Escape(value));
        }
    }

    public override void WriteLine(string? value) => Write((value ?? "") + NewLine);

    public override void WriteLine() => Write(NewLine);

    public override void Flush()
    {
        lock (_gate)
        {
            // A line cut short here may go on in a later write: a held colon is written escaped, so no later ':' can
            // complete a "::" at this line's start. Blanks and marks alone (a progress line's cursor movement) leave the
            // line's start open: a "::" written next still starts the line and is escaped.
            if (_pending.Length > 0)
            {
                _atLineStart = _pendingColon < 0;
                if (_pendingColon >= 0) _pending.Remove(_pendingColon, 1).Insert(_pendingColon, "\\x3a");
                inner.Write(_pending.ToString());
                _pending.Clear();
                _pendingColon = -1;
            }

            inner.Flush();
        }
    }

    public override Task FlushAsync() => Task.Run(Flush);

    protected override void Dispose(bool disposing)
    {
        if (disposing) Flush();
        base.Dispose(disposing);
    }

    private string Escape(string text)
    {
        var output = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == TerminalMarkup.Token[0] && Mark(text, i) is { } mark)
            {
                i += mark.Length - 1;
                if (mark.Command)
                {
                    // A workflow command this tool composed: honoured only as a line's first characters.
                    if (_atLineStart && _pendingColon < 0) Take(output, "::");
                    else Take(output, "\\x3a:");
                }
                else
                {
                    // A colour does not end a line's start: "<colour>::x" still starts a command once colour is stripped.
                    if (_atLineStart) _pending.Append(mark.Output);
                    else output.Append(mark.Output);
                }

                continue;
            }

            if (c == '\n')
            {
                output.Append(_pending).Append('\n');
                _pending.Clear();
                _pendingColon = -1;
                _atLineStart = true;
                continue;
            }

            var shown = VisibleText.Inline(c.ToString());
            if (!_atLineStart)
            {
                output.Append(shown);
            }
            else if (shown.Length == 1 && char.IsWhiteSpace(c))
            {
                _pending.Append(c);
            }
            else if (c == ':' && _pendingColon < 0)
            {
                _pendingColon = _pending.Length;
                _pending.Append(':');
            }
            else if (c == ':')
            {
                _pending.Remove(_pendingColon, 1).Insert(_pendingColon, "\\x3a");
                Take(output, ":");
            }
            else
            {
                Take(output, shown);
            }
        }

        return output.ToString();
    }

    /// <summary>Ends the line's start: what was held goes out, then <paramref name="text"/>.</summary>
    private void Take(StringBuilder output, string text)
    {
        output.Append(_pending).Append(text);
        _pending.Clear();
        _pendingColon = -1;
        _atLineStart = false;
    }

    /// <summary>A mark of <see cref="TerminalMarkup"/> at <paramref name="at"/>: its length and what it becomes.</summary>
    private static (int Length, bool Command, string Output)? Mark(string text, int at)
    {
        var token = TerminalMarkup.Token;
        if (string.CompareOrdinal(text, at, token, 0, token.Length) != 0) return null;
        var next = at + token.Length;
        if (next < text.Length && text[next] == '!') return (token.Length + 1, true, "::");
        if (next >= text.Length || text[next] != '[') return null;
        var end = next + 1;
        while (end < text.Length && text[end] is (>= '0' and <= '9') or ';') end++;
        // Colours (m), cursor up and down (A, B) and erase line (K): what TerminalMarkup composes, nothing else.
        if (end == next + 1 || end >= text.Length || text[end] is not ('m' or 'A' or 'B' or 'K')) return null;
        return (end - at + 1, false, "\u001b" + text[next..(end + 1)]);
    }
}
