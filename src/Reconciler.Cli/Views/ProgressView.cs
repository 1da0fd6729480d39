using Reconciler.Core.Engine;

namespace Reconciler.Cli.Views;

/// <summary>Shows each host's stage on stderr while a person watches; silent when output is piped.</summary>
internal sealed class ProgressView(Terminal terminal) : IProgress<HostProgress>
{
    private readonly Lock _gate = new();
    private readonly Styles _styles = new(terminal.Colour);

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
        lock (_gate)
        {
            terminal.Error.WriteLine(_styles.Dim($"  [{TerminalText.Inline(value.Host)}] ") + stage);
        }
    }
}
