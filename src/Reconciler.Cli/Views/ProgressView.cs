using Reconciler.Core.Engine;

namespace Reconciler.Cli.Views;

/// <summary>
/// Shows each host's stage on stderr while a person watches: one line per host, redrawn in place as the host moves on
/// (hosts run in parallel, so a host's line may be above others). Silent when output is piped: a log gets no progress.
/// </summary>
internal sealed class ProgressView(Terminal terminal) : IProgress<HostProgress>
{
    /// <summary>
    /// How far up a line is redrawn: the cursor cannot rise above the top of the screen, so a host whose line has scrolled
    /// further than a small terminal's height gets a new line at the bottom instead.
    /// </summary>
    private const int MaxRedrawDistance = 20;

    private readonly Lock _gate = new();
    private readonly Styles _styles = new(terminal.Colour);

    /// <summary>The host of each line written, top to bottom; the cursor is below the last.</summary>
    private readonly List<string> _lines = [];

    public void Report(HostProgress value)
    {
        if (!terminal.Interactive) return;
        var stage = value.Stage switch
        {
            HostStage.Connecting => "connecting…",
            HostStage.Reading => "reading facts…",
            HostStage.Applying => "applying…",
            HostStage.Verifying => "verifying…",
            HostStage.Done => _styles.Create("done"),
            _ => _styles.Error("failed"),
        };
        var line = _styles.Dim($"  [{TerminalText.Inline(value.Host)}] ") + stage;
        lock (_gate)
        {
            var up = _lines.Count - _lines.LastIndexOf(value.Host);
            if (up > _lines.Count || up > MaxRedrawDistance)
            {
                _lines.Add(value.Host);
                terminal.Error.WriteLine(line);
            }
            else
            {
                terminal.Error.Write(TerminalMarkup.CursorUp(up) + TerminalMarkup.EraseLine + line + "\n" + (up > 1 ? TerminalMarkup.CursorDown(up - 1) : ""));
            }

            terminal.Error.Flush();
        }
    }
}
